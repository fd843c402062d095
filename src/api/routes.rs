//! The table of served paths and methods, taken from the OpenAPI document so
//! that the 405 answer and the documentation cannot disagree.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;

/// Path patterns with the methods each accepts.
pub struct RouteTable {
    routes: Vec<(ResourceDef, Vec<Method>)>,
}

impl RouteTable {
    /// Builds the table from the OpenAPI paths plus the docs pages.
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Self {
        let mut routes = Vec::new();
        for (path, item) in &api.paths.paths {
            let methods: Vec<Method> = [
                (&item.get, Method::GET),
                (&item.post, Method::POST),
                (&item.put, Method::PUT),
                (&item.patch, Method::PATCH),
                (&item.delete, Method::DELETE),
            ]
            .into_iter()
            .filter(|(op, _)| op.is_some())
            .map(|(_, m)| m)
            .collect();
            routes.push((ResourceDef::new(path.as_str()), methods));
        }
        for fixed in ["/openapi.json", "/docs", "/docs/{_:.*}"] {
            routes.push((ResourceDef::new(fixed), vec![Method::GET]));
        }
        RouteTable { routes }
    }

    /// Methods accepted at `path` (empty when no route matches). A
    /// literal route wins over a pattern (`/org-units/merge` is not
    /// `/org-units/{id}`), as it does in the router.
    pub fn allowed_methods(&self, path: &str) -> Vec<Method> {
        let matching: Vec<&(ResourceDef, Vec<Method>)> = self
            .routes
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .collect();
        let literal = matching
            .iter()
            .any(|(def, _)| !def.pattern().unwrap_or("").contains('{'));
        let mut allowed: Vec<Method> = Vec::new();
        for (def, methods) in matching {
            let is_literal = !def.pattern().unwrap_or("").contains('{');
            if !literal || is_literal {
                for m in methods {
                    if !allowed.contains(m) {
                        allowed.push(m.clone());
                    }
                }
            }
        }
        allowed
    }
}
