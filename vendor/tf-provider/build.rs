#![allow(deprecated)] // inspector2fix patch: vendored build script, kept as published
fn main() -> Result<(), Box<dyn std::error::Error>> {
    tonic_build::configure()
        .protoc_arg("--experimental_allow_proto3_optional")
        .build_client(false)
        .compile(
            &["proto/plugin.proto", "proto/tfplugin6.proto"],
            &["proto"],
        )?;
    Ok(())
}
