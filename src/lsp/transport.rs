//! A guard in front of the LSP service's framing.
//!
//! tower-lsp-server reads stdin with a `FramedRead`, which ends the stream
//! (and so the whole session) after the first frame it cannot decode. This
//! layer reads frames itself, answers a malformed one (bad header, invalid
//! UTF-8, not JSON) with a JSON-RPC parse error, resynchronises on the next
//! `Content-Length`, and passes only well-formed frames on. Output from the
//! service and these errors are written to stdout whole frame by whole frame.

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// A header block longer than this is garbage, not a header.
const MAX_HEADER_BYTES: usize = 8 * 1024;
/// A message longer than this is refused (its bytes are skipped), not buffered.
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// What one read from the client produced.
#[derive(Debug, PartialEq)]
pub enum Frame {
    Message(Vec<u8>),
    /// A frame that cannot be a message; the reason goes into the parse error.
    Malformed(String),
    End,
}

/// Reads the next frame: headers up to a blank line, then `Content-Length` bytes that must be a JSON
/// object or array.
pub async fn read_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> io::Result<Frame> {
    Ok(match read_unparsed_frame(reader).await? {
        Frame::Message(body) => match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(value) if value.is_object() || value.is_array() => Frame::Message(body),
            Ok(_) => Frame::Malformed("a message must be a JSON object".into()),
            Err(error) => Frame::Malformed(format!("invalid JSON: {error}")),
        },
        other => other,
    })
}

/// Reads the next frame without parsing its body: for the frames the service wrote itself, which
/// can be large (a busy note's diagnostics) and need no second parse on their way out.
async fn read_unparsed_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> io::Result<Frame> {
    let mut length: Option<usize> = None;
    let mut header_bytes = 0;
    let mut malformed: Option<String> = None;
    loop {
        let mut line = Vec::new();
        let read = reader.read_until(b'\n', &mut line).await?;
        if read == 0 {
            return Ok(Frame::End);
        }
        header_bytes += read;
        let text = String::from_utf8_lossy(&line);
        let mut text = text.trim_end_matches(['\r', '\n']);
        // Garbage left by a wrong Content-Length runs into the next header: resynchronise on it.
        if let Some(at) = text.to_ascii_lowercase().find("content-length:").filter(|&at| at > 0) {
            eprintln!("noteproof: skipped {at} bytes of garbage before a header");
            text = &text[at..];
        }
        if text.is_empty() {
            if length.is_none() && malformed.is_none() && header_bytes <= 2 {
                continue; // stray blank line between frames
            }
            break;
        }
        if header_bytes > MAX_HEADER_BYTES {
            return Ok(Frame::Malformed("header too long".into()));
        }
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => match value.trim().parse::<usize>() {
                Ok(value) => length = Some(value),
                Err(_) => malformed = Some(format!("invalid Content-Length `{}`", value.trim())),
            },
            Some((name, _)) if name.trim().eq_ignore_ascii_case("content-type") => {}
            _ => malformed = Some(format!("unexpected header line `{}`", truncate(text, 60))),
        }
    }
    let Some(length) = length else {
        return Ok(Frame::Malformed(malformed.unwrap_or_else(|| "missing Content-Length".into())));
    };
    if length > MAX_MESSAGE_BYTES {
        let mut limited = reader.take(length as u64);
        tokio::io::copy(&mut limited, &mut tokio::io::sink()).await?;
        return Ok(Frame::Malformed(format!("message of {length} bytes is too large")));
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    Ok(match malformed {
        Some(reason) => Frame::Malformed(reason),
        None => Frame::Message(body),
    })
}

fn truncate(text: &str, max: usize) -> &str {
    &text[..crate::analysis::text::floor_char_boundary(text, max)]
}

pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

fn parse_error(reason: &str) -> Vec<u8> {
    let response =
        serde_json::json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("Parse error: {reason}")}});
    frame(response.to_string().as_bytes())
}

/// Copies client frames to the service (`to_service`), answering malformed ones through `output`.
pub async fn guard_input<R, W>(input: R, mut to_service: W, output: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = BufReader::new(input);
    loop {
        match read_frame(&mut reader).await {
            Ok(Frame::Message(body)) => {
                if to_service.write_all(&frame(&body)).await.is_err() {
                    break; // the service has ended (after `exit`)
                }
            }
            Ok(Frame::Malformed(reason)) => {
                eprintln!("noteproof: malformed message from the client: {reason}");
                let _ = output.send(parse_error(&reason));
            }
            Ok(Frame::End) | Err(_) => break,
        }
    }
    let _ = to_service.shutdown().await;
}

/// Copies the service's frames to `output`, whole.
pub async fn forward_output<R: AsyncRead + Unpin>(from_service: R, output: mpsc::UnboundedSender<Vec<u8>>) {
    let mut reader = BufReader::new(from_service);
    while let Ok(Frame::Message(body)) = read_unparsed_frame(&mut reader).await {
        if output.send(frame(&body)).is_err() {
            break;
        }
    }
}

/// Writes frames to stdout in the order they come.
pub async fn write_output<W: AsyncWrite + Unpin>(mut writer: W, mut frames: mpsc::UnboundedReceiver<Vec<u8>>) {
    while let Some(frame) = frames.recv().await {
        if writer.write_all(&frame).await.is_err() || writer.flush().await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(bytes: &[u8]) -> Vec<Frame> {
        let mut reader = BufReader::new(bytes);
        let mut frames = Vec::new();
        loop {
            match read_frame(&mut reader).await {
                Ok(Frame::End) | Err(_) => return frames,
                Ok(frame) => frames.push(frame),
            }
        }
    }

    #[tokio::test]
    async fn the_services_frames_go_out_whole_and_in_order() {
        let written = "Content-Length: 2\r\n\r\n{}Content-Length: 13\r\n\r\n{\"a\":\"é“\"}".as_bytes();
        let (output, mut frames) = mpsc::unbounded_channel();
        forward_output(written, output).await;
        let mut forwarded = Vec::new();
        while let Some(frame) = frames.recv().await {
            forwarded.extend(frame);
        }
        assert_eq!(forwarded, written);
    }

    #[tokio::test]
    async fn good_frames_pass_and_bad_ones_are_named() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Length: 9\r\n\r\n{not json\
                      Content-Length: many\r\n\r\nContent-Length: 4\r\n\r\n\xff\xfe{}\
                      Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[]\
                      Content-Length: 3\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n{}";
        let frames = frames(input).await;
        assert_eq!(frames[0], Frame::Message(b"{}".to_vec()));
        assert!(matches!(&frames[1], Frame::Malformed(reason) if reason.starts_with("invalid JSON")));
        assert!(matches!(&frames[2], Frame::Malformed(reason) if reason.contains("invalid Content-Length `many`")));
        assert!(matches!(&frames[3], Frame::Malformed(reason) if reason.starts_with("invalid JSON")));
        assert_eq!(frames[4], Frame::Message(b"[]".to_vec()));
        // A Content-Length too short: the rest of the body is garbage, and the next frame survives.
        assert!(matches!(&frames[5], Frame::Malformed(_)));
        assert_eq!(frames[6], Frame::Message(b"{}".to_vec()));
        assert_eq!(frames.len(), 7, "{frames:?}");
    }
}
