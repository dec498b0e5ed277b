//! The whole form decided exactly at a section's edges: which first and last notes a section
//! may take so that every section still to come keeps a way, however far away in the form.
//!
//! Sections touch only at their edges: a line's notes inside a section depend on the others only
//! through its first and last note (the leap limit across a boundary; a varied repeat starting
//! like its base). So each section still to come is summed up by the pairs (first, last) of
//! its lines (`LineModel::edge_pairs`, one exact pass), and the form becomes a small constraint
//! problem over those pairs: a variable per distinct section, a constraint per neighbouring pair
//! of sections in the form (each pair once, so the problem stays the size of the set of
//! section names, not of the form). A section is then kept to the pairs that extend to every
//! other section — decided by search, which is exact; one that looked only one section ahead
//! could leave a section two steps away with no line (A B C B A with a one-note C).

/// Which edge of a section's line: its first note, its last, or the last or first of its varied
/// repeat (which starts like it unless it renews the whole section: `bass_chords::varied`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    First,
    Last,
    VariedLast,
    VariedFirst,
}

/// Two sections' edges stay within `leap` semitones of each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Join {
    pub a: (usize, Edge),
    pub b: (usize, Edge),
    pub leap: u8,
}

/// Each first note a section's lines take, with the last notes they end on from it.
pub type Pairs = Vec<(u8, Vec<u8>)>;

/// A section's edges at once: its first note, its last, its varied repeat's last and its
/// varied repeat's first (its own last and first again where it has none).
pub type Triple = [u8; 4];

/// The most partial assignments one decision visits before it gives up (then the caller keeps
/// the looser one-section look-ahead): a bound on the search, never reached by the forms tried.
const BUDGET: usize = 200_000;

/// The pairs of section `x` (of `sections`, each its pairs) that extend to a pair for every
/// other section meeting every join; `None` when the search ran out of budget.
pub fn extendable(x: usize, sections: &[Pairs], joins: &[Join]) -> Option<Pairs> {
    let domains: Vec<Vec<Triple>> = sections.iter().map(flatten).collect();
    let kept = extendable_triples(x, &domains, joins)?;
    let mut pairs: Pairs = Vec::new();
    for [first, last, _, _] in kept {
        match pairs.last_mut() {
            Some((f, lasts)) if *f == first => lasts.push(last),
            _ => pairs.push((first, vec![last])),
        }
    }
    Some(pairs)
}

/// The triples of section `x` (of `sections`, each its triples) that extend to a triple for
/// every other section meeting every join, in their order; `None` past the budget.
pub fn extendable_triples(
    x: usize,
    sections: &[Vec<Triple>],
    joins: &[Join],
) -> Option<Vec<Triple>> {
    let mut budget = BUDGET;
    let none = vec![None; sections.len()];
    let mut kept = Vec::new();
    for &triple in &sections[x] {
        // A join of the section with itself (its last note into its own first, where it plays
        // twice in a row) binds its own triple: the search checks only the others'.
        if !fits(joins, &none, x, triple) {
            continue;
        }
        let mut chosen = none.clone();
        chosen[x] = Some(triple);
        if search(sections, joins, &mut chosen, &mut budget)? {
            kept.push(triple);
        }
    }
    Some(kept)
}

/// Whether every section can take a pair meeting every join: the whole form decided at once;
/// `None` when the search ran out of budget.
pub fn satisfiable(sections: &[Pairs], joins: &[Join]) -> Option<bool> {
    let domains: Vec<Vec<Triple>> = sections.iter().map(flatten).collect();
    satisfiable_triples(&domains, joins)
}

/// `satisfiable` over each section's triples.
pub fn satisfiable_triples(sections: &[Vec<Triple>], joins: &[Join]) -> Option<bool> {
    let mut chosen = vec![None; sections.len()];
    search(sections, joins, &mut chosen, &mut BUDGET.clone())
}

/// The pairs as triples, a section without a varied repeat ending it where it ends.
pub fn flatten(pairs: &Pairs) -> Vec<Triple> {
    (pairs.iter())
        .flat_map(|(f, lasts)| lasts.iter().map(move |l| [*f, *l, *l, *f]))
        .collect()
}

/// Whether the sections not `chosen` yet can each take a triple meeting every join (depth
/// first, the section with the fewest left first); `None` past the budget.
fn search(
    domains: &[Vec<Triple>],
    joins: &[Join],
    chosen: &mut Vec<Option<Triple>>,
    budget: &mut usize,
) -> Option<bool> {
    *budget = budget.checked_sub(1)?;
    let open: Vec<(usize, Vec<Triple>)> = (0..domains.len())
        .filter(|&v| chosen[v].is_none())
        .map(|v| {
            let left = (domains[v].iter().copied())
                .filter(|&t| fits(joins, chosen, v, t))
                .collect();
            (v, left)
        })
        .collect();
    let Some((v, left)) = open.into_iter().min_by_key(|(v, left)| (left.len(), *v)) else {
        return Some(true);
    };
    for t in left {
        chosen[v] = Some(t);
        if search(domains, joins, chosen, budget)? {
            chosen[v] = None;
            return Some(true);
        }
    }
    chosen[v] = None;
    Some(false)
}

/// One edge of a triple.
fn edge(t: Triple, e: Edge) -> u8 {
    match e {
        Edge::First => t[0],
        Edge::Last => t[1],
        Edge::VariedLast => t[2],
        Edge::VariedFirst => t[3],
    }
}

/// Whether section `v` taking `triple` meets every join with the sections already chosen.
fn fits(joins: &[Join], chosen: &[Option<Triple>], v: usize, triple: Triple) -> bool {
    joins.iter().all(|j| {
        let (mine, other) = match (j.a.0 == v, j.b.0 == v) {
            (true, true) => return edge(triple, j.a.1).abs_diff(edge(triple, j.b.1)) <= j.leap,
            (true, false) => (j.a.1, j.b),
            (false, true) => (j.b.1, j.a),
            (false, false) => return true,
        };
        chosen[other.0].is_none_or(|q| edge(triple, mine).abs_diff(edge(q, other.1)) <= j.leap)
    })
}

/// Whether `kept` (a subset of `pairs`) is `pairs` kept to its own firsts and lasts: then two
/// plain lists of notes say it, and the line needs no tie between its edges.
pub fn is_product(pairs: &Pairs, kept: &Pairs) -> bool {
    let firsts: Vec<u8> = kept.iter().map(|(f, _)| *f).collect();
    let lasts: Vec<u8> = kept.iter().flat_map(|(_, l)| l.iter().copied()).collect();
    let product: Pairs = (pairs.iter())
        .filter(|(f, _)| firsts.contains(f))
        .map(|(f, ls)| {
            (
                *f,
                ls.iter().copied().filter(|l| lasts.contains(l)).collect(),
            )
        })
        .filter(|(_, ls): &(u8, Vec<u8>)| !ls.is_empty())
        .collect();
    &product == kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(a: usize, b: usize, leap: u8) -> Join {
        Join {
            a: (a, Edge::Last),
            b: (b, Edge::First),
            leap,
        }
    }

    #[test]
    fn a_section_two_steps_away_narrows_the_first() {
        // A B C B A, moves of at most one across each boundary; B holds one note and C holds
        // 10, so B holds 9, 10 or 11, and A must start and end within one of the same B.
        let a: Pairs = (0..=12).map(|f| (f, (0..=12).collect())).collect();
        let b: Pairs = (0..=12).map(|f| (f, vec![f])).collect();
        let c: Pairs = vec![(10, vec![10])];
        let joins = [join(0, 1, 1), join(1, 2, 1), join(2, 1, 1), join(1, 0, 1)];
        let kept = extendable(0, &[a.clone(), b, c], &joins).unwrap();
        let expected: Pairs = vec![
            (8, vec![8, 9, 10]),
            (9, vec![8, 9, 10, 11]),
            (10, vec![8, 9, 10, 11, 12]),
            (11, vec![9, 10, 11, 12]),
            (12, vec![10, 11, 12]),
        ];
        assert_eq!(kept, expected);
        assert!(!is_product(&a, &kept));
        let lists: Pairs = vec![(9, vec![9, 10]), (10, vec![9, 10])];
        assert!(is_product(&a, &lists));
    }

    #[test]
    fn a_tie_through_another_section_keeps_pairs_not_a_product() {
        // A's last leads into B, B's last back into A's first; B keeps its note: so A's last
        // and first must be near the same note.
        let a: Pairs = (0..=6).map(|f| (f, (0..=6).collect())).collect();
        let b: Pairs = (0..=6).map(|f| (f, vec![f])).collect();
        let joins = [join(0, 1, 0), join(1, 0, 0)];
        let kept = extendable(0, &[a.clone(), b], &joins).unwrap();
        assert_eq!(kept, (0..=6).map(|f| (f, vec![f])).collect::<Pairs>());
        assert!(!is_product(&a, &kept));
    }

    #[test]
    fn an_unmeetable_form_leaves_no_pair() {
        let a: Pairs = vec![(0, vec![0])];
        let b: Pairs = vec![(5, vec![5])];
        assert_eq!(
            extendable(0, &[a.clone(), b.clone()], &[join(0, 1, 2)]),
            Some(Vec::new())
        );
        assert_eq!(
            satisfiable(&[a.clone(), b.clone()], &[join(0, 1, 2)]),
            Some(false)
        );
        assert_eq!(satisfiable(&[a, b], &[join(0, 1, 5)]), Some(true));
    }

    #[test]
    fn a_section_that_follows_itself_keeps_only_pairs_that_join_themselves() {
        // A A (or A A' starting like A): A's last note leads into its own first. Only the pairs
        // within the leap of themselves extend, whichever other section there is.
        let a: Pairs = vec![(41, vec![43, 48]), (45, vec![48])];
        let b: Pairs = vec![(44, vec![44])];
        let joins = [join(0, 0, 3), join(0, 1, 5)];
        let kept = extendable(0, &[a.clone(), b.clone()], &joins).unwrap();
        assert_eq!(kept, vec![(41, vec![43]), (45, vec![48])]);
        assert_eq!(extendable(0, &[a], &joins[..1]).unwrap().len(), 2);
        let far: Pairs = vec![(41, vec![48])];
        assert_eq!(
            extendable(0, std::slice::from_ref(&far), &joins[..1]),
            Some(Vec::new())
        );
        assert_eq!(satisfiable(&[far], &joins[..1]), Some(false));
    }

    #[test]
    fn a_varied_repeat_joins_on_from_its_own_last_note() {
        // A A' B: A's last note leads into A''s first (its own first), A''s last into B. The
        // triple whose A' climbs to 48 meets both; one whose A ends far from its start does not,
        // and held to A's last note (`Edge::Last`) no triple reaches B.
        let a: Vec<Triple> = vec![[36, 36, 48, 36], [36, 40, 36, 36]];
        let b: Vec<Triple> = vec![[47, 47, 47, 47]];
        let varied = |last| {
            [
                join(0, 0, 2),
                Join {
                    a: (0, last),
                    b: (1, Edge::First),
                    leap: 2,
                },
            ]
        };
        let sections = [a, b];
        let joins = varied(Edge::VariedLast);
        assert_eq!(
            extendable_triples(0, &sections, &joins),
            Some(vec![[36, 36, 48, 36]])
        );
        assert_eq!(satisfiable_triples(&sections, &joins), Some(true));
        let held = varied(Edge::Last);
        assert_eq!(extendable_triples(0, &sections, &held), Some(Vec::new()));
        assert_eq!(satisfiable_triples(&sections, &held), Some(false));
    }

    #[test]
    fn a_cycle_of_joins_is_decided_as_a_whole() {
        // A B C A: each join alone is met by some of C's pairs, no pair of C meets both.
        let a: Pairs = vec![(0, vec![0])];
        let b: Pairs = vec![(2, vec![4])];
        let c: Pairs = vec![(6, vec![6]), (1, vec![1])];
        let joins = [join(0, 1, 2), join(1, 2, 2), join(2, 0, 2)];
        assert_eq!(satisfiable(&[a.clone(), b.clone(), c], &joins), Some(false));
        let c: Pairs = vec![(4, vec![2])];
        assert_eq!(satisfiable(&[a, b, c], &joins), Some(true));
    }
}
