//! Debug aid (not shipped): prints the hover markdown at a spot of a note, as an editor would get it.
//! cargo run --example hover_at -- NOTE LINE:COLUMN [ARTICLES_DIR]   (1-based line and column, in characters)
use noteproof::analysis::checks::Snapshot;
use noteproof::analysis::corpus::article::ArticleSource;
use noteproof::analysis::note::Note;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.get(2).map_or("seeds", String::as_str);
    let mut sources = Vec::new();
    for entry in std::fs::read_dir(dir).expect("articles folder") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        sources.push(ArticleSource { path: path.display().to_string(), display_path: format!("{dir}/{name}"), text, ..Default::default() });
    }
    let corpus = Snapshot::build(sources, vec![dir.into()]);
    let text = std::fs::read_to_string(&args[0]).unwrap();
    let note = Note::parse(&args[0], &text);
    let (line, column) = args[1].split_once(':').expect("LINE:COLUMN");
    let (line, column): (usize, usize) = (line.parse().unwrap(), column.parse().unwrap());
    let line_text = text.split_inclusive('\n').nth(line - 1).expect("line in range");
    let line_start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let offset = line_start + line_text.char_indices().nth(column - 1).map_or(line_text.len(), |(i, _)| i);
    match noteproof::analysis::ide::hover::hover(&corpus, &note, offset) {
        Some(hover) => println!("{}", hover.markdown),
        None => println!("(no hover)"),
    }
}
