//! Debug aid (not shipped): prints every figure the checker reads in a note, with its measure and verdict.
//! cargo run --example explain -- NOTE [ARTICLES_DIR...]
use noteproof::analysis::checks::figures::check::{judge_all, Verdict};
use noteproof::analysis::checks::Snapshot;
use noteproof::analysis::corpus::article::ArticleSource;
use noteproof::analysis::note::Note;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut sources = Vec::new();
    for dir in args[1..].iter() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            sources.push(ArticleSource {
                path: format!("/w/seeds/{name}"),
                display_path: name,
                text: std::fs::read_to_string(&path).unwrap(),
                ..Default::default()
            });
        }
    }
    let corpus = Snapshot::build(sources, vec!["/w/seeds".into()]);
    let text = std::fs::read_to_string(&args[0]).unwrap();
    let note = Note::parse("/w/notes/n.md", &text);
    if std::env::var("STATEMENTS").is_ok() {
        for (id, article) in corpus.live() {
            for statement in corpus.statements(id) {
                println!("  {}: `{}` {} value={}", article.key, &article.text[statement.span.clone()], statement.measure, statement.value);
            }
        }
    }
    for judgement in judge_all(&corpus, &note) {
        let s = &judgement.statement;
        let line = note.line_index.line_of(s.span.start) + 1;
        let basis: Vec<String> = judgement
            .basis
            .iter()
            .map(|&(id, i)| {
                let a = corpus.article(id).unwrap();
                format!("{}:{}", corpus.preferred_key(id), &a.text[corpus.statements(id)[i].span.clone()])
            })
            .collect();
        let cited: Vec<&str> = judgement.cited.iter().map(|&id| corpus.preferred_key(id)).collect();
        if judgement.cited.is_empty() && std::env::var("EVENTS").is_ok() {
            let terms = noteproof::analysis::checks::figures::event::event_query(
                &corpus,
                &note,
                s.sentence as usize,
                Some(s.span.clone()),
                corpus.lexicon(),
            );
            let shown: Vec<String> =
                terms.iter().map(|t| format!("{}{}:{:.1}", if t.own { "*" } else { "" }, t.term, t.weight * corpus.idf(&t.term))).collect();
            let events =
                noteproof::analysis::checks::figures::event::event_articles(&corpus, &note, s.sentence as usize, Some(s.span.clone()));
            println!("   terms {shown:?} -> {:?}", events.iter().map(|&id| corpus.preferred_key(id)).collect::<Vec<_>>());
        }
        println!(
            "{line}: `{}` {} {:?} partial={} cited={cited:?} -> {:?} basis={basis:?}",
            &text[s.span.clone()],
            s.measure,
            s.interval.to_range_notation(),
            s.partial,
            judgement.verdict
        );
    }
    let _ = Verdict::Agrees;
}
