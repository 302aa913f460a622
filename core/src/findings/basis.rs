//! What decided a figure's best value (a verified claim, the vote, a timeline), kept as
//! a small value with each decision; the sentence an estimate shows is written from it
//! only for the figures that make findings.

use super::figure::Figure;

/// What decided a figure's best value. Every figure is decided once or more per
/// report, and few make findings: the sentence is written only for those.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Basis {
    /// Nothing was counted.
    #[default]
    Nothing,
    /// Claims that disagree have equal weighted support.
    Tie,
    /// Every counted claim agrees.
    Agreed,
    /// The weighted vote.
    Support,
    /// This verified claim.
    Verified(usize),
    /// The latest reports of a timeline disagree.
    TimelineTie,
    /// A timeline without a dated claim.
    Undated,
    /// A timeline that never moved: its value, from this claim.
    Current(usize),
    /// A timeline's latest confirmed revision, this claim.
    Revision(usize),
}

impl Basis {
    /// The sentence the estimate shows.
    pub(super) fn text(self, fig: &Figure) -> String {
        match self {
            Basis::Nothing => String::new(),
            Basis::Tie => "a tie: claims that disagree have equal weighted support".into(),
            Basis::Agreed => "every counted claim agrees".into(),
            Basis::Support => {
                "the value with the most support, weighing each source by its learned trust".into()
            }
            Basis::Verified(v) => format!("verified claim {}", fig.short(&fig.items[v])),
            Basis::TimelineTie => {
                "a tie: the latest reports disagree and nothing decides between them".into()
            }
            Basis::Undated => "no dated claim to build a timeline from".into(),
            Basis::Current(b) => {
                format!(
                    "the figure's current value, claim {}",
                    fig.short(&fig.items[b])
                )
            }
            Basis::Revision(b) => format!(
                "the latest confirmed revision, claim {} ({})",
                fig.short(&fig.items[b]),
                fig.source_of(&fig.items[b])
            ),
        }
    }
}
