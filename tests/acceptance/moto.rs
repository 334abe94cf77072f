//! The core lifecycle against moto_server, an independent emulator, to catch wire-format
//! mistakes our own emulator might share with the provider.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::*;

pub(crate) const ACCOUNT: &str = "123456789012";

pub(crate) struct Moto {
    pub(crate) addr: SocketAddr,
    child: Child,
}

fn moto_server() -> PathBuf {
    if let Some(p) = std::env::var_os("MOTO_SERVER").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    venv_tool("moto_server", "moto")
}

impl Moto {
    pub(crate) fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { addr, child }
    }

    /// A raw Inspector2 call, as any SigV4 client would route it.
    #[track_caller]
    pub(crate) fn inspector2(&self, path: &str, body: Value) -> Value {
        let auth = "AWS4-HMAC-SHA256 Credential=AKIDMOTO/20260101/us-east-1/inspector2/aws4_request, SignedHeaders=host, Signature=0";
        let reply = testsupport::http::request(self.addr, "POST", path, Some(&body), &[("Authorization", auth)]);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        reply.body
    }

    /// The status of `scan_type` ("ecr", "ec2") as moto reports it for the account: the account
    /// and the status must both be there.
    #[track_caller]
    fn resource_state(&self, scan_type: &str) -> String {
        let v = self.inspector2("/status/batch/get", json!({"accountIds": [ACCOUNT]}));
        let accounts = field(&v, "accounts").as_array().unwrap_or_else(|| panic!("accounts is not a list: {v}"));
        let account = accounts.iter().find(|a| a["accountId"] == ACCOUNT);
        let account = account.unwrap_or_else(|| panic!("moto does not report {ACCOUNT}: {v}"));
        str_field(field(field(account, "resourceState"), scan_type), "status").to_owned()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn moto_lifecycle_create_drift_import_destroy_keeps_ec2() {
    let moto = Moto::start();
    moto.inspector2("/enable", json!({"accountIds": [ACCOUNT], "resourceTypes": ["EC2"]}));
    let ws = workspace("moto", &format!("http://{}", moto.addr));
    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n");

    ws.apply().ok();
    assert_eq!(moto.resource_state("ecr"), "ENABLED");
    assert_eq!(ws.state_of("inspector2fix_ecr_scanning.this")["id"], ACCOUNT);
    assert_eq!(ws.plan().code, 0);

    moto.inspector2("/disable", json!({"accountIds": [ACCOUNT], "resourceTypes": ["ECR"]}));
    assert_eq!(ws.plan().code, 2, "drift must show");
    ws.apply().ok();
    assert_eq!(moto.resource_state("ecr"), "ENABLED");

    ws.tf(&["state", "rm", "-no-color", "inspector2fix_ecr_scanning.this"]).ok();
    ws.tf(&["import", "-no-color", "-input=false", "inspector2fix_ecr_scanning.this", ACCOUNT]).ok();
    assert_eq!(ws.plan().code, 0, "plan after import must be clean");

    ws.destroy().ok();
    assert!(!ws.in_state("inspector2fix_ecr_scanning.this"), "destroy empties the state");
    assert_eq!(moto.resource_state("ecr"), "DISABLED");
    assert_eq!(moto.resource_state("ec2"), "ENABLED", "destroy must leave EC2 scanning alone");
}

/// `inspector2fix_ecr_auto_enable` and `associate_members` against moto: the organization calls'
/// wire format (moto lets any caller act as the administrator, and associates at once).
#[test]
fn moto_auto_enable_and_association_keep_other_flags_and_members() {
    let moto = Moto::start();
    let member = "222222222222";
    moto.inspector2(
        "/organizationconfiguration/update",
        json!({"autoEnable": {"ec2": true, "ecr": false, "lambda": true}}),
    );
    let ws = workspace("moto-org", &format!("http://{}", moto.addr));
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_auto_enable\" \"this\" {{}}\n\n\
         resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = [\"{ACCOUNT}\", \"{member}\"]\n  \
         associate_members = true\n}}\n"
    ));
    let flags =
        |moto: &Moto| field(&moto.inspector2("/organizationconfiguration/describe", json!({})), "autoEnable").clone();
    let relationship = |moto: &Moto| {
        let v = moto.inspector2("/members/get", json!({"accountId": member}));
        str_field(field(&v, "member"), "relationshipStatus").to_owned()
    };

    ws.apply().ok();
    let on = flags(&moto);
    assert_eq!((&on["ecr"], &on["ec2"], &on["lambda"]), (&json!(true), &json!(true), &json!(true)), "{on}");
    assert_eq!(ws.state_of("inspector2fix_ecr_auto_enable.this")["id"], ACCOUNT);
    assert_eq!(relationship(&moto), "ENABLED");
    let status = ws.state_of("inspector2fix_ecr_scanning.this")["status"].clone();
    assert_eq!(status, json!({ACCOUNT: "ENABLED", member: "ENABLED"}));
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "{}", plan.all());

    ws.destroy().ok();
    let off = flags(&moto);
    assert_eq!((&off["ecr"], &off["ec2"], &off["lambda"]), (&json!(false), &json!(true), &json!(true)), "{off}");
    assert_eq!(relationship(&moto), "ENABLED", "destroy never disassociates");
}
