//! Small builders for tf-provider schemas. `Attribute::default()` is OptionalComputed/Any with the
//! description "empty", so every field is set here explicitly.

use std::collections::HashMap;

use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock};

pub fn attribute(attr_type: AttributeType, constraint: AttributeConstraint, description: &str) -> Attribute {
    Attribute {
        attr_type,
        description: Description::markdown(description),
        constraint,
        sensitive: false,
        deprecated: false,
    }
}

/// What a `region` attribute belongs to: its description differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionOf {
    Resource,
    DataSource,
}

/// The optional, computed `region` every resource and data source has (the AWS provider v6
/// convention). Resources replace themselves when it changes: see [`crate::terraform::region`].
pub fn region_attribute(of: RegionOf) -> Attribute {
    let description = match of {
        RegionOf::Resource => {
            "AWS Region this resource manages, e.g. `eu-west-1`. Default: the provider's Region, also after \
             `region` is removed. Changing it, or removing it, replaces the resource, and the replacement changes \
             nothing in the old Region: there, nothing is disabled or restored."
        }
        RegionOf::DataSource => "AWS Region to read, e.g. `eu-west-1`. Default: the provider's Region.",
    };
    attribute(AttributeType::String, AttributeConstraint::OptionalComputed, description)
}

pub fn sensitive(mut attr: Attribute) -> Attribute {
    attr.sensitive = true;
    attr
}

pub fn block<const N: usize>(description: &str, attributes: [(&str, Attribute); N]) -> Block {
    Block {
        version: 0,
        attributes: attributes.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        blocks: HashMap::new(),
        description: Description::markdown(description),
        deprecated: false,
    }
}

/// A block written at most once (`timeouts { ... }`, `assume_role { ... }`). Terraform sends it as
/// a list of zero or one element.
pub fn optional_block(block: Block) -> NestedBlock {
    NestedBlock::Optional(block)
}

/// Every attribute name in a block, nested blocks' attributes as `block.attribute`; used by the
/// test that keeps the docs in step with the schema.
pub fn attribute_names(block: &Block) -> Vec<String> {
    let mut names: Vec<String> = block.attributes.keys().cloned().collect();
    for (name, nested) in &block.blocks {
        let inner = match nested {
            NestedBlock::Single(b)
            | NestedBlock::List(b)
            | NestedBlock::Set(b)
            | NestedBlock::Map(b)
            | NestedBlock::Group(b)
            | NestedBlock::Optional(b) => b,
        };
        names.push(name.clone());
        names.extend(attribute_names(inner).into_iter().map(|n| format!("{name}.{n}")));
    }
    names.sort();
    names
}
