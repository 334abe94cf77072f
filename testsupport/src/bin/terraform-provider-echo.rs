//! Bench fixture: a provider that makes no AWS call and stores its configuration as it is, so the
//! bench can time Terraform alone with one account-list shape per attribute (issue 10). Resource
//! `echo_shapes` has one optional attribute or block per candidate shape: `set` (set(string)),
//! `list` (list(string)), `map` (map(string)) and `item` blocks (a set of nested blocks with one
//! `id`). Every plan is the proposed new state, every apply returns the plan, every read returns
//! the state unchanged.

use std::collections::HashMap;

use async_trait::async_trait;
use serde_json::Value as Json;
use tf_provider::schema::{
    Attribute, AttributeConstraint as C, AttributeType as T, Block, Description, NestedBlock, Schema,
};
use tf_provider::value::ValueEmpty;
use tf_provider::{map, serve, AttributePath, Diagnostics, DynamicDataSource, DynamicResource, Provider, Resource};

fn attribute(attr_type: T, constraint: C) -> Attribute {
    Attribute { attr_type, constraint, description: Description::plain(""), sensitive: false, deprecated: false }
}

struct Shapes;

#[async_trait]
impl Resource for Shapes {
    type State<'a> = Json;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let strings = || Box::new(T::String);
        let item = Block { attributes: map! { "id" => attribute(T::String, C::Required) }, ..Default::default() };
        Some(Schema {
            version: 0,
            block: Block {
                attributes: map! {
                    "set" => attribute(T::Set(strings()), C::Optional),
                    "list" => attribute(T::List(strings()), C::Optional),
                    "map" => attribute(T::Map(strings()), C::Optional),
                },
                blocks: map! { "item" => NestedBlock::Set(item) },
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
        _: &mut Diagnostics,
        proposed: Json,
        _: Json,
        _: ValueEmpty,
    ) -> Option<(Json, ValueEmpty)> {
        Some((proposed, ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        _: &mut Diagnostics,
        _: Json,
        proposed: Json,
        _: Json,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Json, ValueEmpty, Vec<AttributePath>)> {
        Some((proposed, ValueEmpty::default(), vec![]))
    }

    async fn plan_destroy<'a>(&self, _: &mut Diagnostics, _: Json, _: ValueEmpty, _: ValueEmpty) -> Option<ValueEmpty> {
        Some(ValueEmpty::default())
    }

    async fn create<'a>(
        &self,
        _: &mut Diagnostics,
        planned: Json,
        _: Json,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Json, ValueEmpty)> {
        Some((planned, ValueEmpty::default()))
    }

    async fn update<'a>(
        &self,
        _: &mut Diagnostics,
        _: Json,
        planned: Json,
        _: Json,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Json, ValueEmpty)> {
        Some((planned, ValueEmpty::default()))
    }

    async fn destroy<'a>(&self, _: &mut Diagnostics, _: Json, _: ValueEmpty, _: ValueEmpty) -> Option<()> {
        Some(())
    }
}

struct Echo;

#[async_trait]
impl Provider for Echo {
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
        Some(map! { "shapes" => Shapes })
    }

    fn get_data_sources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        Some(map! {})
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = serve("echo", Echo).await {
        eprintln!("echo provider: {e}");
        std::process::exit(1);
    }
}
