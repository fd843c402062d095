//! Builds everything the server needs (database, metrics, route table),
//! binds the listener and returns a handle; `main.rs` and the tests both
//! start the service through here.

use std::net::TcpListener;
use std::num::NonZeroU32;

use governor::{Quota, RateLimiter};
use std::sync::Arc;

use actix_http::{HttpService, Protocol};
use actix_service::{fn_service, map_config, IntoServiceFactory, ServiceFactoryExt};
use actix_web::dev::AppConfig;
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App};
use tokio::net::TcpStream;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::api::{self, metrics::Metrics, RouteTable};
use crate::auth::jwt::JwtKeys;
use crate::auth::password;
use crate::config::Settings;
use crate::domain::email::EmailAddress;
use crate::mail::templates::Templates;
use crate::mail::transport::Mailer;
use crate::scheduler::Worker;
use crate::store::{users, Access, Database};
use crate::wire::Guarded;

pub use crate::state::AppState;

/// Forgets, once a minute, the addresses whose per-IP budget is full again,
/// so the limiter's table holds only recent clients.
fn spawn_limiter_pruning(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        loop {
            actix_web::rt::time::sleep(std::time::Duration::from_secs(60)).await;
            state.auth_limiter.retain_recent();
            state.auth_limiter.shrink_to_fit();
        }
    });
}

/// The email and password of an administrator created at first start.
#[derive(Clone)]
pub struct InitialAdmin {
    /// Login email.
    pub email: String,
    /// The generated password, shown once; `None` when it came from
    /// `SECONDMENTS_ADMIN_PASSWORD`.
    pub generated_password: Option<String>,
}

impl std::fmt::Debug for InitialAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitialAdmin")
            .field("email", &self.email)
            .field("generated_password", &"[redacted]")
            .finish()
    }
}

/// A bound, not yet running service.
pub struct Application {
    port: u16,
    public_url: String,
    server: Server,
    db: Database,
    initial_admin: Option<InitialAdmin>,
}

impl Application {
    /// Connects, migrates, creates the first admin if needed, and binds.
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))?;
        let bound = listener.local_addr()?;
        let port = bound.port();
        // Port 0 (tests) binds a free port: links name the one bound.
        settings.server.port = port;
        settings.server.public_url = settings.server.base_url();
        let settings = Arc::new(settings);
        let db_settings = settings.database.clone();
        let db = web::block(move || Database::connect_and_migrate(&db_settings)).await??;
        let initial_admin = ensure_first_admin(&db).await?;

        let metrics = Arc::new(Metrics::new()?);
        let worker = Worker {
            settings: settings.clone(),
            db: db.clone(),
            mailer: Mailer::from_settings(&settings.mail)?,
            templates: Arc::new(Templates::new()?),
        };
        if settings.scheduler.enabled {
            worker.clone().spawn_loops();
        }
        let openapi = api::openapi();
        let routes = Arc::new(RouteTable::from_openapi(&openapi));
        let state = web::Data::new(AppState {
            settings: settings.clone(),
            db: db.clone(),
            metrics,
            routes,
            jwt: JwtKeys::new(
                settings.auth.jwt_secret.expose().as_bytes(),
                settings.auth.access_token_ttl_secs,
            ),
            auth_limiter: RateLimiter::keyed(Quota::per_minute(
                NonZeroU32::new(settings.auth.auth_requests_per_ip_per_minute)
                    .unwrap_or(NonZeroU32::MIN),
            )),
            worker,
        });
        spawn_limiter_pruning(state.clone());
        let limit = settings.server.body_limit_bytes;

        let app = move || {
            App::new()
                .wrap(from_fn(api::middleware::request_context))
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(limit))
                .app_data(api::path_config())
                .into_utoipa_app()
                .configure(api::configure)
                .into_app()
                .route("/docs", web::get().to(redirect_to_docs))
                .configure(crate::web::configure)
                .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi.clone()))
                .default_service(web::to(crate::web::render::not_found))
        };
        let mut server = actix_server::Server::build()
            .listen("secondments", listener, move || {
                // What `HttpServer::listen` does, with each stream wrapped
                // so that the HTTP layer's own bare errors become problems.
                let host = bound.to_string();
                let http = HttpService::build().local_addr(bound).finish(map_config(
                    app()
                        .into_factory()
                        .map_err(|e: actix_web::Error| e.error_response()),
                    move |_| AppConfig::__priv_test_new(false, host.clone(), bound),
                ));
                fn_service(|io: TcpStream| async move {
                    let _ = io.set_nodelay(true);
                    let peer = io.peer_addr().ok();
                    Ok::<_, actix_http::error::DispatchError>((
                        Guarded::new(io),
                        Protocol::Http1,
                        peer,
                    ))
                })
                .and_then(http)
            })?
            .shutdown_timeout(settings.server.shutdown_timeout_secs);
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        Ok(Application {
            port,
            public_url: settings.server.public_url.trim_end_matches('/').to_string(),
            server: server.run(),
            db,
            initial_admin,
        })
    }

    /// The bound port (useful when configured as 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The public base URL: `server.public_url`, or the bound address.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The database handle (tests and background jobs).
    pub fn db(&self) -> &Database {
        &self.db
    }

    /// The administrator created by this start, if any.
    pub fn initial_admin(&self) -> Option<&InitialAdmin> {
        self.initial_admin.as_ref()
    }

    /// Serves until SIGINT/SIGTERM, letting in-flight requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// The server handle, to stop it from elsewhere.
    pub fn into_server(self) -> Server {
        self.server
    }
}

/// `/docs` without the trailing slash: send the browser to the page.
async fn redirect_to_docs() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, "/docs/"))
        .finish()
}

/// On an empty user table, creates an administrator from
/// `SECONDMENTS_ADMIN_EMAIL` / `SECONDMENTS_ADMIN_PASSWORD`, or with a
/// random password that is returned to be shown once.
async fn ensure_first_admin(db: &Database) -> anyhow::Result<Option<InitialAdmin>> {
    let email = std::env::var("SECONDMENTS_ADMIN_EMAIL")
        .unwrap_or_else(|_| "admin@secondments.local".to_string());
    let email =
        EmailAddress::parse(&email).map_err(|e| anyhow::anyhow!("SECONDMENTS_ADMIN_EMAIL {e}"))?;
    let (password, generated) = match std::env::var("SECONDMENTS_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (password::generate_password(), true),
    };
    crate::domain::user::check_password_policy(&password, email.as_str())
        .map_err(|e| anyhow::anyhow!("SECONDMENTS_ADMIN_PASSWORD {e}"))?;
    let db = db.clone();
    let created = web::block(move || -> anyhow::Result<Option<InitialAdmin>> {
        if db.blocking(Access::Read, users::count)? > 0 {
            return Ok(None);
        }
        let hash = password::hash_password(&password).map_err(anyhow::Error::msg)?;
        let new = users::NewUser::admin(&email, hash);
        let created = db.blocking(Access::Write, |c| {
            users::create_first_admin_if_none(c, &new)
        })?;
        Ok(created.then(|| InitialAdmin {
            email: email.as_str().to_string(),
            generated_password: generated.then_some(password),
        }))
    })
    .await??;
    Ok(created)
}
