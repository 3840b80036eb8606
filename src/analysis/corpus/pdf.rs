//! PDF articles: reports, court filings, transcripts, agency releases. Their text is read page by
//! page (`pdf-extract` over `lopdf`), so that every sentence knows the page it is printed on, and
//! a citation's `p. 5` can be checked. Pure: bytes in, text out; a damaged file is an error in
//! plain words, never a panic.

use crate::analysis::corpus::html::Extracted;
use crate::analysis::corpus::origin::{Metadata, Origin};

/// Pages read at most, unless the configuration says otherwise: a book is not an article.
pub const DEFAULT_MAX_PAGES: usize = 500;

/// Reads the text of a PDF, page by page.
pub fn extract_pdf(bytes: &[u8], file_hash: u64, max_pages: usize) -> Result<Extracted, String> {
    let mut document = lopdf::Document::load_mem(bytes)
        .map_err(|error| format!("is not a readable PDF ({error}); it may be damaged or cut short: save or download it again"))?;
    if document.is_encrypted() && document.decrypt("").is_err() {
        return Err("is encrypted with a password; save an unencrypted copy (print it to PDF) in the corpus".into());
    }
    let pages = document.get_pages();
    if pages.len() > max_pages {
        return Err(format!(
            "has {} pages, more than the {max_pages} read from one PDF; split it, or raise \"maxPdfPages\" in noteproof.json",
            pages.len()
        ));
    }
    let meta = Metadata { title: info_string(&document, b"Title"), author: info_string(&document, b"Author"), ..Metadata::default() };
    let mut text = String::new();
    let mut page_starts = Vec::with_capacity(pages.len());
    for &number in pages.keys() {
        let mut raw = String::new();
        // The extractor panics on some malformed fonts and streams: one page is lost, not the server.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut output = pdf_extract::PlainTextOutput::new(&mut raw);
            pdf_extract::output_doc_page(&document, &mut output, number)
        }));
        page_starts.push(text.len() as u32);
        if let Ok(Ok(())) = result {
            push_paragraphs(&mut text, &raw);
        }
        if !text.ends_with("\n\n") && !text.is_empty() {
            text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
        }
    }
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 20 {
        return Err("has no text to read (scanned pages without a text layer?); run OCR on it (for example ocrmypdf) and put the result in the corpus".into());
    }
    Ok(Extracted { text, origin: Origin::Pdf { page_starts, file_hash }, meta })
}

/// A page's text as paragraphs: lines of a block are joined (the PDF broke them for layout),
/// blocks are separated by a blank line, a word hyphenated across lines is joined again. A line
/// much shorter than the page's full lines ends its paragraph: a heading, or a paragraph's last line.
fn push_paragraphs(text: &mut String, page: &str) {
    let full = page.lines().map(|l| l.trim().chars().count()).max().unwrap_or(0);
    let mut in_paragraph = false;
    for line in page.lines().map(str::trim) {
        if line.is_empty() {
            if in_paragraph {
                text.push_str("\n\n");
                in_paragraph = false;
            }
            continue;
        }
        if in_paragraph {
            let hyphenated = text.ends_with('-') && line.starts_with(|c: char| c.is_lowercase());
            if hyphenated {
                text.pop();
            } else {
                text.push(' ');
            }
        }
        text.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
        in_paragraph = true;
        if line.chars().count() * 10 < full * 6 {
            text.push_str("\n\n");
            in_paragraph = false;
        }
    }
    if in_paragraph {
        text.push_str("\n\n");
    }
}

/// A string of the document information dictionary (`/Title`, `/Author`), decoded.
fn info_string(document: &lopdf::Document, key: &[u8]) -> Option<String> {
    let info = document.trailer.get_deref(b"Info", document).ok()?.as_dict().ok()?;
    let bytes = info.get_deref(key, document).ok()?.as_str().ok()?;
    let text = match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => char::decode_utf16(utf16.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]])))
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
        // PDFDocEncoding agrees with Latin-1 for the letters of titles and names.
        None => bytes.iter().map(|&b| b as char).collect::<String>(),
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_files_are_refused_in_plain_words() {
        for bytes in [&b""[..], b"%PDF-1.4\n1 0 obj << /Type /Catalog", b"not a pdf at all", &[0u8; 64]] {
            let error = extract_pdf(bytes, 0, DEFAULT_MAX_PAGES).unwrap_err();
            assert!(error.contains("not a readable PDF"), "{error}");
        }
    }

    #[test]
    fn lines_of_a_block_join_into_one_paragraph() {
        let mut text = String::new();
        push_paragraphs(&mut text, "The toll rose to 139 on Mon-\nday, officials said.\n\nSecond   block.\n");
        assert_eq!(text, "The toll rose to 139 on Monday, officials said.\n\nSecond block.\n\n");
        let mut text = String::new();
        push_paragraphs(&mut text, "Findings\nThe review found that the alarm system had been\ndisabled in 2019, and that nobody had noticed.\n");
        assert_eq!(text, "Findings\n\nThe review found that the alarm system had been disabled in 2019, and that nobody had noticed.\n\n");
    }
}
