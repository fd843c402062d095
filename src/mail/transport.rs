//! Where emails go: an SMTP relay, `.eml` files (the zero-configuration
//! default), or memory (fast tests). Real transports, not a mock trait.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{FileTransport, Message, SmtpTransport, Transport};

use crate::config::{MailSettings, SmtpSecurity, TransportKind};

/// A message ready to send.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    /// Recipient address.
    pub to: String,
    /// Recipient name.
    pub to_name: Option<String>,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
    /// `Message-ID` without brackets, stable per idempotency key.
    pub message_id: String,
}

/// Why sending failed.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// A permanent refusal (5xx, a malformed address): retrying is useless.
    pub permanent: bool,
    /// What happened (stored in `last_error`; no secrets).
    pub message: String,
}

/// The configured transport.
#[derive(Clone)]
pub enum Mailer {
    /// SMTP through lettre, pooled connections.
    Smtp(SmtpTransport),
    /// One `.eml` file per message in a directory.
    File(PathBuf),
    /// Kept in memory (tests).
    Memory(Arc<Mutex<Vec<Message>>>),
}

/// Why the transport could not be built.
#[derive(Debug, thiserror::Error)]
#[error("mail transport: {0}")]
pub struct TransportError(pub String);

impl Mailer {
    /// Builds the transport from settings; SMTP credentials come from
    /// `mail.smtp.username` / `mail.smtp.password` (environment variables).
    pub fn from_settings(settings: &MailSettings) -> Result<Self, TransportError> {
        match settings.transport {
            TransportKind::File => {
                std::fs::create_dir_all(&settings.file_dir)
                    .map_err(|e| TransportError(format!("{}: {e}", settings.file_dir)))?;
                Ok(Mailer::File(PathBuf::from(&settings.file_dir)))
            }
            TransportKind::Memory => Ok(Mailer::Memory(Arc::default())),
            TransportKind::Smtp => {
                let s = &settings.smtp;
                let tls = || {
                    TlsParameters::new(s.host.clone()).map_err(|e| TransportError(e.to_string()))
                };
                let mut builder = SmtpTransport::builder_dangerous(&s.host)
                    .port(s.port)
                    .timeout(Some(Duration::from_secs(s.timeout_secs)));
                builder = match s.security {
                    SmtpSecurity::None => builder.tls(Tls::None),
                    SmtpSecurity::Starttls => builder.tls(Tls::Required(tls()?)),
                    SmtpSecurity::Tls => builder.tls(Tls::Wrapper(tls()?)),
                };
                if let (Some(user), Some(password)) = (&s.username, &s.password) {
                    builder = builder.credentials(Credentials::new(
                        user.clone(),
                        password.expose().to_string(),
                    ));
                }
                Ok(Mailer::Smtp(builder.build()))
            }
        }
    }

    /// Sends one message.
    pub fn send(&self, from: &str, email: &OutgoingEmail) -> Result<(), SendError> {
        let message = build_message(from, email)?;
        match self {
            Mailer::Smtp(t) => t.send(&message).map(|_| ()).map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: format!("SMTP: {e}"),
            }),
            Mailer::File(dir) => FileTransport::new(dir)
                .send(&message)
                .map(|_| ())
                .map_err(|e| SendError {
                    permanent: false,
                    message: format!("file transport: {e}"),
                }),
            Mailer::Memory(store) => {
                store
                    .lock()
                    .map_err(|_| SendError {
                        permanent: false,
                        message: "memory transport poisoned".into(),
                    })?
                    .push(message);
                Ok(())
            }
        }
    }
}

fn build_message(from: &str, e: &OutgoingEmail) -> Result<Message, SendError> {
    let bad = |what: &str, err: String| SendError {
        permanent: true,
        message: format!("{what}: {err}"),
    };
    let from: Mailbox = from
        .parse()
        .map_err(|x: lettre::address::AddressError| bad("mail.from", x.to_string()))?;
    let to = Mailbox::new(
        e.to_name.clone(),
        e.to.parse()
            .map_err(|x: lettre::address::AddressError| bad("recipient", x.to_string()))?,
    );
    Message::builder()
        .from(from)
        .to(to)
        .subject(e.subject.clone())
        .message_id(Some(format!("<{}>", e.message_id)))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(e.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(e.html.clone()),
                ),
        )
        .map_err(|x| bad("message", x.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_the_message_id_and_an_encoded_vietnamese_subject() {
        let e = OutgoingEmail {
            to: "hieu@example.gov.vn".into(),
            to_name: Some("Phạm Quang Hiếu".into()),
            subject: "Còn 30 ngày: kết thúc biệt phái".into(),
            text: "Nội dung".into(),
            html: "<p>Nội dung</p>".into(),
            message_id: "end.abc@secondments".into(),
        };
        let m = build_message("Biệt phái <noreply@secondments.local>", &e).unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains("Message-ID: <end.abc@secondments>"), "{raw}");
        assert!(raw.contains("Subject: =?utf-8?"), "RFC 2047 encoded: {raw}");
        assert!(!raw.contains("Subject: Còn"), "{raw}");
        let store = Arc::new(Mutex::new(Vec::new()));
        Mailer::Memory(store.clone())
            .send("noreply@secondments.local", &e)
            .unwrap();
        assert_eq!(store.lock().unwrap().len(), 1);
        let err = Mailer::Memory(store)
            .send(
                "noreply@secondments.local",
                &OutgoingEmail {
                    to: "not an address".into(),
                    ..e
                },
            )
            .unwrap_err();
        assert!(err.permanent);
    }
}
