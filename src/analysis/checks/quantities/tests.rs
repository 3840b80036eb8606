//! Table-driven tests of `read_quantities` that double as documentation: each row is an
//! input and what the reader finds in it, one line per quantity:
//! `span | value_span | kind =value qualifier interval`.
//!
//! Must not: test private helpers (each module tests its own), or depend on the eval data.

use super::*;

/// The article date used by the tables: Wednesday 27 March 2024.
const WEDNESDAY: CalendarDate = CalendarDate { year: Some(2024), month: 3, day: Some(27) };

fn kind_name(k: &QuantityKind) -> String {
    match k {
        QuantityKind::Money { currency } => format!("Money {currency}"),
        QuantityKind::Duration { unit } => format!("Duration {unit:?}"),
        QuantityKind::Date(d) => {
            let year = d.year.map_or("????".to_string(), |y| y.to_string());
            let day = d.day.map_or("??".to_string(), |d| format!("{d:02}"));
            format!("Date {year}-{:02}-{day}", d.month)
        }
        other => format!("{other:?}"),
    }
}

fn render(text: &str, q: &Quantity) -> String {
    format!(
        "{} | {} | {} ={} {:?} {}",
        &text[q.span.clone()],
        &text[q.value_span.clone()],
        kind_name(&q.kind),
        q.value,
        q.qualifier,
        q.interval.to_range_notation()
    )
}

fn read(text: &str) -> Vec<String> {
    let ctx = ReadContext { reference_date: Some(WEDNESDAY) };
    read_quantities(text, &ctx).iter().map(|q| render(text, q)).collect()
}

fn check(table: &[(&str, &[&str])]) {
    for (text, want) in table {
        assert_eq!(read(text), *want, "reading {text:?}");
    }
}

#[test]
fn counts_in_digits_and_words() {
    check(&[
        ("182 people were injured", &["182 | 182 | Count =182 Exact [182,182]"]),
        ("including 3 children", &["3 | 3 | Count =3 Exact [3,3]"]),
        ("11 people, including 4 directly involved", &["11 | 11 | Count =11 Exact [11,11]", "4 | 4 | Count =4 Exact [4,4]"]),
        ("a toll of 1,200", &["1,200 | 1,200 | Count =1200 Exact [1200,1200]"]),
        ("2.5 tonnes", &["2.5 | 2.5 | Count =2.5 Exact [2.5,2.5]"]),
        ("1.2 million visitors", &["1.2 million | 1.2 million | Count =1200000 Exact [1200000,1200000]"]),
        ("three dead", &["three | three | Count =3 Exact [3,3]"]),
        ("eleven dead", &["eleven | eleven | Count =11 Exact [11,11]"]),
        ("twenty-one dead", &["twenty-one | twenty-one | Count =21 Exact [21,21]"]),
        ("one hundred and three", &["one hundred and three | one hundred and three | Count =103 Exact [103,103]"]),
        ("a dozen raids", &["a dozen | a dozen | Count =12 Exact [12,12]"]),
        ("half a dozen raids", &["half a dozen | half a dozen | Count =6 Exact [6,6]"]),
        ("the deadliest in half a century", &["half a century | half a | Duration Year =50 Exact [50,50]"]),
        ("one and a half hours", &["one and a half hours | one and a half | Duration Hour =1.5 Exact [1.5,1.5]"]),
        ("two thirds of voters", &["two thirds | two thirds | Fraction =0.6666666666666666 Exact [0.6666666666666666,0.6666666666666666]"]),
        ("one in five adults", &["one in five | one in five | Fraction =0.2 Exact [0.2,0.2]"]),
    ]);
}

#[test]
fn a_an_and_one_do_not_flood_the_output() {
    // "a"/"an" are never numbers alone; a lone "one" counts only before a noun-like word.
    check(&[
        ("a man and a woman", &[]),
        ("one of the gunmen", &[]),
        ("no one was hurt", &[]),
        ("the one who fled", &[]),
        ("one another", &[]),
        ("one person was killed", &["one | one | Count =1 Exact [1,1]"]),
        ("an hour later", &["an hour | an | Duration Hour =1 Exact [1,1]"]),
    ]);
}

#[test]
fn ordinals_are_never_counts() {
    check(&[
        ("the eighth person", &["eighth | eighth | Ordinal =8 Exact [8,8]"]),
        ("for the first time", &["first | first | Ordinal =1 Exact [1,1]"]),
        ("the 21st victim", &["21st | 21st | Ordinal =21 Exact [21,21]"]),
        ("its twenty-fifth anniversary", &["twenty-fifth | twenty-fifth | Ordinal =25 Exact [25,25]"]),
    ]);
}

#[test]
fn qualifiers_become_intervals() {
    check(&[
        ("the attack which killed over 140 people", &["over 140 | 140 | Count =140 MoreThan (140,)"]),
        ("more than 140", &["more than 140 | 140 | Count =140 MoreThan (140,)"]),
        ("nearly 140", &["nearly 140 | 140 | Count =140 Below [126,140)"]),
        ("about 139", &["about 139 | 139 | Count =139 Approximate [125.1,152.9]"]),
        ("some 5 people", &["some 5 | 5 | Count =5 Approximate [4,6]"]),
        ("an estimated 300", &["an estimated 300 | 300 | Count =300 Approximate [270,330]"]),
        ("at least 20", &["at least 20 | 20 | Count =20 AtLeast [20,)"]),
        ("no fewer than 30", &["no fewer than 30 | 30 | Count =30 AtLeast [30,)"]),
        ("no less than 30", &["no less than 30 | 30 | Count =30 AtLeast [30,)"]),
        ("greater than 7", &["greater than 7 | 7 | Count =7 MoreThan (7,)"]),
        ("above 170", &["above 170 | 170 | Count =170 MoreThan (170,)"]),
        ("at most 12", &["at most 12 | 12 | Count =12 AtMost (,12]"]),
        ("less than 3", &["less than 3 | 3 | Count =3 LessThan (,3)"]),
        ("below 170", &["below 170 | 170 | Count =170 LessThan (,170)"]),
        ("x < 20", &["< 20 | 20 | Count =20 LessThan (,20)"]),
        ("around 50", &["around 50 | 50 | Count =50 Approximate [45,55]"]),
        ("roughly 50", &["roughly 50 | 50 | Count =50 Approximate [45,55]"]),
        ("approximately 50", &["approximately 50 | 50 | Count =50 Approximate [45,55]"]),
        ("almost 100", &["almost 100 | 100 | Count =100 Below [90,100)"]),
        ("close to 100", &["close to 100 | 100 | Count =100 Below [90,100)"]),
        ("just under 100", &["just under 100 | 100 | Count =100 Below [90,100)"]),
        ("100 or less", &["100 or less | 100 | Count =100 AtMost (,100]"]),
        ("upwards of 50", &["upwards of 50 | 50 | Count =50 MoreThan (50,)"]),
        ("in excess of 60", &["in excess of 60 | 60 | Count =60 MoreThan (60,)"]),
        ("up to 700", &["up to 700 | 700 | Count =700 AtMost (,700]"]),
        ("a maximum of 12", &["a maximum of 12 | 12 | Count =12 AtMost (,12]"]),
        ("with a maximum cost of 12 Euros", &["a maximum cost of 12 Euros | 12 | Money EUR =12 AtMost (,12]"]),
        ("faces a maximum sentence of ten years", &["a maximum sentence of ten years | ten | Duration Year =10 AtMost (,10]"]),
        ("no more than 9", &["no more than 9 | 9 | Count =9 AtMost (,9]"]),
        ("fewer than 5", &["fewer than 5 | 5 | Count =5 LessThan (,5)"]),
        ("under 18", &["under 18 | 18 | Count =18 LessThan (,18)"]),
        ("x > 10", &["> 10 | 10 | Count =10 MoreThan (10,)"]),
        ("more than a dozen", &["more than a dozen | a dozen | Count =12 MoreThan (12,)"]),
        ("500 or more", &["500 or more | 500 | Count =500 AtLeast [500,)"]),
        ("50 or fewer", &["50 or fewer | 50 | Count =50 AtMost (,50]"]),
        ("up to a 30% increase", &["up to a 30% | 30 | Percent =30 AtMost (,30]"]),
        ("nearly a €5 fee", &["nearly a €5 | 5 | Money EUR =5 Below [4.5,5)"]),
        ("over a 10-year period", &["10-year | 10 | Duration Year =10 Exact [10,10]"]),
    ]);
}

#[test]
fn quarters_are_periods_not_ranks() {
    check(&[
        ("revenue in Q4 2024", &["Q4 | Q4 | Quarter =4 Exact [4,4]", "2024 | 2024 | Year =2024 Exact [2024,2024]"]),
        ("third-quarter revenue", &["third-quarter | third-quarter | Quarter =3 Exact [3,3]"]),
        ("in the fourth quarter", &["fourth quarter | fourth quarter | Quarter =4 Exact [4,4]"]),
        ("a quarter of voters", &["a quarter | a quarter | Fraction =0.25 Exact [0.25,0.25]"]),
        ("the Q7 engine", &[]),
    ]);
}

#[test]
fn results_are_read_whole_and_ranges_run_low_to_high() {
    check(&[
        ("Bayern beat Dortmund 2-0 on Saturday", &["2-0 | 2-0 | Score =2000 Exact [2000,2000]", "Saturday | Saturday | Date 2024-03-23 =20240323 Exact [20240323,20240323]"]),
        ("Liverpool's 4–1 defeat", &["4–1 | 4–1 | Score =4001 Exact [4001,4001]"]),
        ("a 5-4 vote", &["5-4 | 5-4 | Score =5004 Exact [5004,5004]"]),
        ("they drew 1-1", &["1-1 | 1-1 | Score =1001 Exact [1001,1001]"]),
        ("130-140 people", &["130-140 | 130-140 | Count =130 Between [130,140]"]),
    ]);
    for text in ["call 555-123-444", "+1-222-333", "COVID-19", "a 60-40% split", "$5-3", "at 9-05", "2.5-1", "F-16-2"] {
        assert!(!read(text).iter().any(|q| q.contains("Score")), "no result in {text:?}: {:?}", read(text));
    }
}

#[test]
fn ranges_are_between() {
    check(&[
        ("between 130 and 140", &["between 130 and 140 | 130 and 140 | Count =130 Between [130,140]"]),
        ("130-140", &["130-140 | 130-140 | Count =130 Between [130,140]"]),
        ("130 to 140", &["130 to 140 | 130 to 140 | Count =130 Between [130,140]"]),
        ("130–140", &["130–140 | 130–140 | Count =130 Between [130,140]"]),
        ("from 1 to 5", &["from 1 to 5 | 1 to 5 | Count =1 Between [1,5]"]),
        ("10-20%", &["10-20% | 10-20 | Percent =10 Between [10,20]"]),
        ("$5-10 million", &["$5-10 million | 5-10 million | Money USD =5000000 Between [5000000,10000000]"]),
        ("more than 10 and fewer than 20", &["more than 10 and fewer than 20 | 10 and fewer than 20 | Count =10 Between (10,20)"]),
        // Bounds that leave nothing stay apart; so do list items.
        (
            "more than 40 and less than 10",
            &["more than 40 | 40 | Count =40 MoreThan (40,)", "less than 10 | 10 | Count =10 LessThan (,10)"],
        ),
        // A descending "from ... to" is a change, not a range.
        ("fell from 20 to 10", &["20 | 20 | Count =20 Exact [20,20]", "10 | 10 | Count =10 Exact [10,10]"]),
    ]);
}

#[test]
fn vague_quantities() {
    check(&[
        ("hundreds of people", &["hundreds | hundreds | Count =200 Vague [200,1000)"]),
        ("dozens of police", &["dozens | dozens | Count =24 Vague [24,144)"]),
        ("tens of thousands of fans", &["tens of thousands | tens of thousands | Count =20000 Vague [20000,100000)"]),
        ("scores of cars", &["scores | scores | Count =40 Vague [40,200)"]),
        ("thousands protested", &["thousands | thousands | Count =2000 Vague [2000,1000000)"]),
        ("hundreds of thousands", &["hundreds of thousands | hundreds of thousands | Count =200000 Vague [200000,1000000)"]),
        ("five hundreds", &["five hundreds | five hundreds | Count =500 Exact [500,500]"]),
    ]);
}

#[test]
fn percentages_and_money() {
    check(&[
        ("40%", &["40% | 40 | Percent =40 Exact [40,40]"]),
        ("40 percent", &["40 percent | 40 | Percent =40 Exact [40,40]"]),
        ("forty per cent", &["forty per cent | forty | Percent =40 Exact [40,40]"]),
        ("about 40%", &["about 40% | 40 | Percent =40 Approximate [36,44]"]),
        ("$105 million", &["$105 million | 105 million | Money USD =105000000 Exact [105000000,105000000]"]),
        ("£3", &["£3 | 3 | Money GBP =3 Exact [3,3]"]),
        ("£3m", &["£3m | 3m | Money GBP =3000000 Exact [3000000,3000000]"]),
        ("5 euros", &["5 euros | 5 | Money EUR =5 Exact [5,5]"]),
        ("US$ 20", &["US$ 20 | 20 | Money USD =20 Exact [20,20]"]),
        ("twelve Euros and fifty centimes", &["twelve Euros and fifty centimes | twelve | Money EUR =12.5 Exact [12.5,12.5]"]),
        ("$12 and 5 cents", &["$12 and 5 cents | 12 | Money USD =12.05 Exact [12.05,12.05]"]),
        ("£3 and 50 pence each", &["£3 and 50 pence | 3 | Money GBP =3.5 Exact [3.5,3.5]"]),
        ("5 euros and 3 children", &["5 euros | 5 | Money EUR =5 Exact [5,5]", "3 | 3 | Count =3 Exact [3,3]"]),
    ]);
}

#[test]
fn durations() {
    check(&[
        ("two years", &["two years | two | Duration Year =2 Exact [2,2]"]),
        ("20 years", &["20 years | 20 | Duration Year =20 Exact [20,20]"]),
        ("two decades", &["two decades | two | Duration Year =20 Exact [20,20]"]),
        ("three days", &["three days | three | Duration Day =3 Exact [3,3]"]),
        ("a week", &["a week | a | Duration Week =1 Exact [1,1]"]),
        ("48 hours", &["48 hours | 48 | Duration Hour =48 Exact [48,48]"]),
        ("in over two decades", &["over two decades | two | Duration Year =20 MoreThan (20,)"]),
        ("two years into the offensive", &["two years | two | Duration Year =2 Exact [2,2]"]),
        ("a 20-year sentence", &["20-year | 20 | Duration Year =20 Exact [20,20]"]),
        ("twice a week", &[]),
    ]);
}

#[test]
fn dates_years_decades_and_times() {
    check(&[
        ("on March 22", &["March 22 | March 22 | Date ????-03-22 =322 Exact [322,322]"]),
        ("22 March 2024", &["22 March 2024 | 22 March 2024 | Date 2024-03-22 =20240322 Exact [20240322,20240322]"]),
        ("March 22, 2024", &["March 22, 2024 | March 22, 2024 | Date 2024-03-22 =20240322 Exact [20240322,20240322]"]),
        ("2024-05-24", &["2024-05-24 | 2024-05-24 | Date 2024-05-24 =20240524 Exact [20240524,20240524]"]),
        ("Mar. 22", &["Mar. 22 | Mar. 22 | Date ????-03-22 =322 Exact [322,322]"]),
        ("March 7", &["March 7 | March 7 | Date ????-03-07 =307 Exact [307,307]"]),
        ("Tuesday, March 26", &["Tuesday, March 26 | Tuesday, March 26 | Date ????-03-26 =326 Exact [326,326]"]),
        ("in March 2024", &["March 2024 | March 2024 | Date 2024-03-?? =20240300 Exact [20240300,20240300]"]),
        ("on Tuesday", &["Tuesday | Tuesday | Date 2024-03-26 =20240326 Exact [20240326,20240326]"]),
        ("last Friday", &["last Friday | last Friday | Date 2024-03-22 =20240322 Exact [20240322,20240322]"]),
        ("in 2024", &["2024 | 2024 | Year =2024 Exact [2024,2024]"]),
        ("since 2014", &["2014 | 2014 | Year =2014 Exact [2014,2014]"]),
        ("won by 2000 votes", &["2000 | 2000 | Count =2000 Exact [2000,2000]"]),
        ("Israel's 2023 offensive", &["2023 | 2023 | Year =2023 Exact [2023,2023]"]),
        ("## 2024 Review", &["2024 | 2024 | Year =2024 Exact [2024,2024]"]),
        ("between 2019 and 2021", &["between 2019 and 2021 | 2019 and 2021 | Year =2019 Between [2019,2021]"]),
        ("the 1980s", &["1980s | 1980s | Decade =1980 Exact [1980,1990)"]),
        ("at 10:30", &["10:30 | 10:30 | TimeOfDay =10.5 Exact [10.5,10.5]"]),
        ("9 pm", &["9 pm | 9 pm | TimeOfDay =21 Exact [21,21]"]),
    ]);
}

#[test]
fn not_counts() {
    // Designations and numbers glued to letters; IP parts follow Recognizers-Text.
    check(&[
        ("COVID-19 and F-16", &[]),
        ("180ml of liquid in 3D", &[]),
        ("ISIS-K and IS-K", &[]),
        // Markdown: a bullet dash is not a minus sign, citation marks are not counts.
        ("- 3 people were killed", &["3 | 3 | Count =3 Exact [3,3]"]),
        ("as reported[^1] and [2]", &[]),
        ("24/7 coverage", &["24 | 24 | Count =24 Exact [24,24]", "7 | 7 | Count =7 Exact [7,7]"]),
        ("see https://example.com/a/2024/5 now", &[]),
        (
            "192.168.1.2",
            &[
                "192 | 192 | Count =192 Exact [192,192]",
                "168 | 168 | Count =168 Exact [168,168]",
                "1 | 1 | Count =1 Exact [1,1]",
                "2 | 2 | Count =2 Exact [2,2]",
            ],
        ),
    ]);
}

#[test]
fn brief_examples_in_one_text() {
    let text = "The attack, which killed over 140 people on March 22, was the deadliest in over two decades.";
    let got = read_quantities(text, &ReadContext { reference_date: Some(CalendarDate { year: Some(2024), month: 3, day: Some(26) }) });
    assert_eq!(got.len(), 3);
    assert_eq!(&text[got[0].value_span.clone()], "140");
    assert_eq!(got[1].kind, QuantityKind::Date(CalendarDate { year: None, month: 3, day: Some(22) }));
    assert_eq!(got[2].kind, QuantityKind::Duration { unit: TimeUnit::Year });
    assert_eq!(got[2].qualifier, Qualifier::MoreThan);
}

#[test]
fn weekdays_need_a_reference_date() {
    assert!(read_quantities("on Tuesday", &ReadContext::default()).is_empty());
}

#[test]
fn interval_semantics() {
    let nearly = Qualifier::Below.interval(140.0);
    assert!(!nearly.contains(140.0) && nearly.contains(135.0) && !nearly.contains(120.0));
    let about = Qualifier::Approximate.interval(139.0);
    assert!(about.contains(139.0) && about.contains(135.0) && !about.contains(100.0));
    let tiny = Qualifier::Approximate.interval(3.0);
    assert!(tiny.contains(2.0) && tiny.contains(4.0), "at least ±1");
    let more = Qualifier::MoreThan.interval(140.0);
    assert!(!more.contains(140.0) && more.contains(141.0));
    assert!(!more.intersects(&Interval::exact(140.0)));
    assert!(more.intersects(&Interval::closed(100.0, 150.0)));
    assert!(!Interval::half_open(1.0, 2.0).intersects(&Interval::closed(2.0, 3.0)));
    assert!(Interval::closed(1.0, 2.0).intersects(&Interval::closed(2.0, 3.0)));
    assert!(Qualifier::AtMost.interval(5.0).intersects(&Qualifier::AtLeast.interval(5.0)));
    assert!(!Qualifier::LessThan.interval(5.0).intersects(&Qualifier::AtLeast.interval(5.0)));
    assert_eq!(Qualifier::MoreThan.interval(4565.0).to_range_notation(), "(4565,)");
    assert_eq!(Interval::exact(20.0).to_range_notation(), "[20,20]");
    assert_eq!(Qualifier::AtMost.interval(100.0).to_range_notation(), "(,100]");
}
