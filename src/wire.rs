//! The connection layer under actix-http.
//!
//! actix-http answers some requests itself, before any application code
//! runs: a request line past 64 KiB (400), a head past 128 KiB (431), a
//! malformed head (400) or a client too slow to send one (408). It
//! answers them with an empty body. [`Guarded`] wraps each TCP stream and
//! replaces those bare answers with the service's problem+json, so that a
//! client sees the same kind of error whatever the size of its mistake.
//!
//! It recognises them by their shape: the application never writes an
//! error without a `content-type`, actix-http never writes one with. A
//! bare 400 that follows a line longer than the service reads is a URI
//! too long (414).

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::api::middleware::MAX_TARGET_BYTES;
use crate::api::problem::ApiError;
use actix_web::ResponseError;

/// A stream whose bare protocol-level error answers are rewritten.
pub struct Guarded<T> {
    io: T,
    /// Bytes read since the last line feed.
    line: usize,
    /// The longest line read since the last write.
    longest: usize,
    /// A replacement answer still to be written, and how much of it has.
    pending: Option<(Vec<u8>, usize)>,
}

impl<T> Guarded<T> {
    /// Wraps a freshly accepted stream.
    pub fn new(io: T) -> Self {
        Guarded {
            io,
            line: 0,
            longest: 0,
            pending: None,
        }
    }

    fn track(&mut self, read: &[u8]) {
        for (i, segment) in read.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.line = 0;
            }
            self.line += segment.len();
            self.longest = self.longest.max(self.line);
        }
    }
}

impl<T: AsyncWrite + Unpin> Guarded<T> {
    /// Writes what is left of a replacement answer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, done)) = self.pending.as_mut() {
            if *done == bytes.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &bytes[*done..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *done += n;
        }
        Poll::Ready(Ok(()))
    }
}

/// The status of a bare answer written by actix-http itself, if `out` is one.
fn bare_status(out: &[u8]) -> Option<u16> {
    let rest = out
        .strip_prefix(b"HTTP/1.1 ")
        .or_else(|| out.strip_prefix(b"HTTP/1.0 "))?;
    let status = std::str::from_utf8(rest.get(..3)?).ok()?.parse().ok()?;
    if !matches!(status, 400 | 408 | 431) {
        return None;
    }
    let head = std::str::from_utf8(out).ok()?.to_ascii_lowercase();
    let whole_head = head.find("\r\n\r\n")? + 4 == head.len();
    (whole_head && head.contains("\r\ncontent-length: 0\r\n") && !head.contains("content-type:"))
        .then_some(status)
}

/// The problem+json answer that replaces a bare one.
fn replacement(status: u16, longest_line: usize) -> Vec<u8> {
    let error = match status {
        431 => {
            ApiError::HeadersTooLarge("The request head is larger than the service reads.".into())
        }
        408 => ApiError::RequestTimeout("The request head did not arrive in time.".into()),
        _ if longest_line > MAX_TARGET_BYTES => ApiError::UriTooLong(format!(
            "The path and query string are longer than {MAX_TARGET_BYTES} bytes."
        )),
        _ => ApiError::BadRequest("The request line or headers are not valid HTTP.".into()),
    };
    let code = error.status_code();
    let body = serde_json::to_vec(&error.problem()).unwrap_or_default();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\
         x-content-type-options: nosniff\r\ncache-control: no-store\r\n\r\n",
        code.as_u16(),
        code.canonical_reason().unwrap_or(""),
        crate::api::problem::PROBLEM_JSON,
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

impl<T: AsyncRead + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.io).poll_read(cx, buf))?;
        this.track(&buf.filled()[before..]);
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        if let Some(status) = bare_status(buf) {
            this.pending = Some((replacement(status, this.longest), 0));
            // Written or not yet, the replacement now stands for `buf`;
            // flush and shutdown finish it.
            if let Poll::Ready(Err(e)) = this.drain(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        this.longest = 0;
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_bare_protocol_answers() {
        let bare = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\ndate: x\r\n\r\n";
        assert_eq!(bare_status(bare), Some(400));
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ncontent-type: application/problem+json\r\n\r\n";
        assert_eq!(bare_status(ours), None);
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\nHTTP/1.1 200 OK\r\n";
        assert_eq!(bare_status(with_body), None);
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(bare_status(ok), None);
    }

    #[test]
    fn a_long_line_before_a_bare_400_is_a_uri_too_long() {
        let answer = String::from_utf8(replacement(400, MAX_TARGET_BYTES + 1)).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 414 URI Too Long\r\n"),
            "{answer}"
        );
        assert!(answer.contains("application/problem+json"));
        let answer = String::from_utf8(replacement(400, 80)).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{answer}"
        );
    }
}
