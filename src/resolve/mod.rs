//! Resolve: expand presets, apply defaults and scopes, and produce the concrete `Plan`.

pub mod instruments;
mod key;
mod plan;
pub mod presets;
mod resolver;

pub use plan::{
    Endpoint, Origin, PartPlan, PartRole, PitchRule, PitchRuleKind, Plan, Progression, Sourced,
    split_bar,
};
pub use resolver::resolve;
