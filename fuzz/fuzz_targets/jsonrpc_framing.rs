//! The JSON-RPC framing guard on arbitrary bytes: every input ends, nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use noteproof::lsp::transport::{read_frame, Frame};

fuzz_target!(|data: &[u8]| {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async {
        let mut reader = tokio::io::BufReader::new(data);
        // Each frame consumes input, so this loop ends.
        for _ in 0..=data.len() {
            match read_frame(&mut reader).await {
                Ok(Frame::End) | Err(_) => break,
                Ok(Frame::Message(body)) => assert!(serde_json_is_object_or_array(&body)),
                Ok(Frame::Malformed(reason)) => assert!(!reason.is_empty()),
            }
        }
    });
});

fn serde_json_is_object_or_array(body: &[u8]) -> bool {
    matches!(body.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'['))
}
