//! Access tokens: HS256 JWTs with one pinned algorithm.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The role at issue time.
    pub role: String,
    /// The scope unit at issue time.
    pub unit: Option<String>,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// Unique token id.
    pub jti: String,
    /// The session (refresh-token family) the token was issued for: a
    /// password change keeps this one and ends the others. Absent in
    /// tokens issued before sessions were named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
pub const LEEWAY_SECS: u64 = 5;

/// Signing and verification keys with the validation rules.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_secs: i64,
}

impl JwtKeys {
    /// Keys from the shared secret; tokens live `ttl_secs`.
    pub fn new(secret: &[u8], ttl_secs: u64) -> Self {
        // Only HS256 is accepted: a token naming `none`, RS256 or HS512 in
        // its header fails, whatever its signature.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_secs: i64::try_from(ttl_secs).unwrap_or(900),
        }
    }

    /// Lifetime of new tokens in seconds.
    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    /// Signs a new access token for a user's session.
    pub fn issue(
        &self,
        user_id: &str,
        role: &str,
        unit: Option<&str>,
        session: &str,
    ) -> Result<String, String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            role: role.to_string(),
            unit: unit.map(str::to_string),
            iat: now,
            exp: now + self.ttl_secs,
            jti: uuid::Uuid::new_v4().to_string(),
            sid: Some(session.to_string()),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| format!("token signing failed: {e}"))
    }

    /// Verifies signature, algorithm, expiry, not-before and issued-at
    /// (not in the future); returns the claims.
    pub fn verify(&self, token: &str) -> Result<Claims, String> {
        let claims = decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| e.to_string())?;
        let now = chrono::Utc::now().timestamp();
        if claims.iat > now + i64::try_from(LEEWAY_SECS).unwrap_or(0) {
            return Err("issued in the future".into());
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_verify_and_foreign_ones_do_not() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", 60);
        let token = keys.issue("u1", "admin", None, "f1").unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.sid.as_deref()),
            ("u1", Some("f1"))
        );
        let other = JwtKeys::new(b"another-secret-another-secret-xx", 60);
        assert!(other.verify(&token).is_err());
    }
}
