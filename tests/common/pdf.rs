//! Small real PDFs for tests, written with `lopdf`: pages of Helvetica text in WinAnsiEncoding
//! (curly quotes and dashes included), a document title, and the broken kinds analysts meet.

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};

/// WinAnsiEncoding bytes of `text` (the typographic marks news copy uses, and Latin-1).
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 256 => c as u8,
            _ => b'?',
        })
        .collect()
}

/// A PDF with one page per entry, each page a list of lines; `title` goes in the document information.
pub fn pdf(title: Option<&str>, pages: &[&[&str]]) -> Vec<u8> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let font = document.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = document.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![50.into(), 780.into()]),
        ];
        for line in *lines {
            operations.push(Operation::new("Tj", vec![Object::String(win_ansi(line), StringFormat::Literal)]));
            operations.push(Operation::new("T*", vec![]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = document.add_object(Stream::new(dictionary! {}, Content { operations }.encode().unwrap()));
        kids.push(Object::from(document.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content })));
    }
    let count = kids.len() as i64;
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog);
    if let Some(title) = title {
        let info = document.add_object(dictionary! { "Title" => Object::String(title.as_bytes().to_vec(), StringFormat::Literal) });
        document.trailer.set("Info", info);
    }
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).unwrap();
    bytes
}

/// A PDF whose trailer says it is encrypted with a password we do not have.
pub fn encrypted_pdf() -> Vec<u8> {
    let bytes = pdf(None, &[&["Secret text that nobody may read without the password."]]);
    let mut document = Document::load_mem(&bytes).unwrap();
    let encrypt = document.add_object(dictionary! {
        "Filter" => "Standard", "V" => 2, "R" => 3, "Length" => 128, "P" => -3904,
        "O" => Object::String(vec![7; 32], StringFormat::Hexadecimal),
        "U" => Object::String(vec![9; 32], StringFormat::Hexadecimal),
    });
    document.trailer.set("Encrypt", encrypt);
    document
        .trailer
        .set("ID", vec![Object::String(vec![1; 16], StringFormat::Hexadecimal), Object::String(vec![1; 16], StringFormat::Hexadecimal)]);
    let mut out = Vec::new();
    document.save_to(&mut out).unwrap();
    out
}
