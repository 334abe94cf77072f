//! Test fixture: a stand-in for the AWS provider (`hashicorp/aws`) that serves only the
//! `aws_inspector2_enabler` schema, as the AWS provider's state shape has it (schema version 0:
//! `account_ids` and `resource_types`, required sets of strings; `id`, computed; a `timeouts`
//! block of `create`, `update`, `delete`). Terraform asks the source provider of a `moved {}` for
//! its schema and decodes the source state with it; nothing else is needed from it. It reads
//! state back unchanged and refuses to create, change or destroy anything.

use std::collections::HashMap;

use async_trait::async_trait;
use serde_json::Value as Json;
use tf_provider::schema::{
    Attribute, AttributeConstraint as C, AttributeType as T, Block, Description, NestedBlock, Schema,
};
use tf_provider::value::ValueEmpty;
use tf_provider::{
    map, serve, AttributePath, Diagnostic, Diagnostics, DynamicDataSource, DynamicResource, Provider, Resource,
};

fn attribute(attr_type: T, constraint: C) -> Attribute {
    Attribute { attr_type, constraint, description: Description::plain(""), sensitive: false, deprecated: false }
}

fn refuse(diags: &mut Diagnostics, what: &str) {
    diags.add_error(Diagnostic {
        summary: "aws stand-in".into(),
        detail: format!("The AWS provider stand-in (a test fixture) cannot {what}.").into(),
        attribute: AttributePath::default(),
    });
}

struct Enabler;

#[async_trait]
impl Resource for Enabler {
    type State<'a> = Json;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let strings = || T::Set(Box::new(T::String));
        let timeout = || attribute(T::String, C::Optional);
        let timeouts = Block {
            attributes: map! { "create" => timeout(), "update" => timeout(), "delete" => timeout() },
            ..Default::default()
        };
        Some(Schema {
            version: 0,
            block: Block {
                attributes: map! {
                    "id" => attribute(T::String, C::Computed),
                    "account_ids" => attribute(strings(), C::Required),
                    "resource_types" => attribute(strings(), C::Required),
                },
                blocks: map! { "timeouts" => NestedBlock::Single(timeouts) },
                ..Default::default()
            },
        })
    }

    async fn read<'a>(
        &self,
        _: &mut Diagnostics,
        state: Json,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Json, ValueEmpty)> {
        Some((state, ValueEmpty::default()))
    }

    async fn plan_create<'a>(
        &self,
        d: &mut Diagnostics,
        _: Json,
        _: Json,
        _: ValueEmpty,
    ) -> Option<(Json, ValueEmpty)> {
        refuse(d, "create an aws_inspector2_enabler");
        None
    }

    async fn plan_update<'a>(
        &self,
        d: &mut Diagnostics,
        _: Json,
        _: Json,
        _: Json,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Json, ValueEmpty, Vec<AttributePath>)> {
        refuse(d, "change an aws_inspector2_enabler");
        None
    }

    async fn plan_destroy<'a>(&self, d: &mut Diagnostics, _: Json, _: ValueEmpty, _: ValueEmpty) -> Option<ValueEmpty> {
        refuse(d, "destroy an aws_inspector2_enabler");
        None
    }

    async fn create<'a>(
        &self,
        d: &mut Diagnostics,
        _: Json,
        _: Json,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Json, ValueEmpty)> {
        refuse(d, "create an aws_inspector2_enabler");
        None
    }

    async fn update<'a>(
        &self,
        d: &mut Diagnostics,
        _: Json,
        _: Json,
        _: Json,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Json, ValueEmpty)> {
        refuse(d, "change an aws_inspector2_enabler");
        None
    }

    async fn destroy<'a>(&self, d: &mut Diagnostics, _: Json, _: ValueEmpty, _: ValueEmpty) -> Option<()> {
        refuse(d, "destroy an aws_inspector2_enabler");
        None
    }
}

struct Aws;

#[async_trait]
impl Provider for Aws {
    type Config<'a> = ValueEmpty;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Block::default() })
    }

    async fn validate<'a>(&self, _: &mut Diagnostics, _: ValueEmpty) -> Option<()> {
        Some(())
    }

    async fn configure<'a>(&self, _: &mut Diagnostics, _: String, _: ValueEmpty) -> Option<()> {
        Some(())
    }

    fn get_resources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        Some(map! { "inspector2_enabler" => Enabler })
    }

    fn get_data_sources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        Some(map! {})
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = serve("aws", Aws).await {
        eprintln!("aws stand-in: {e}");
        std::process::exit(1);
    }
}
