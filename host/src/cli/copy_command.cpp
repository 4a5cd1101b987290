#include "cli/copy_command.hpp"

#include "gantry/sdk/value.hpp"

namespace gantry::host {

CopyCommand::CopyCommand(CLI::App& app) {
  subcommand_ = app.add_subcommand("copy", "Copy an image, as `skopeo copy SRC DEST` does");
  subcommand_->add_option("source", source_, "oci-archive:PATH[:TAG], oci:DIR[:TAG], docker://…")
      ->required();
  subcommand_
      ->add_option("destination", destination_,
                   "docker://HOST/REPO:TAG, oci:DIR[:TAG], oci-archive:PATH[:TAG]")
      ->required();
  subcommand_->add_flag("--src-tls-verify", src_tls_verify_,
                        "Verify the source registry's certificate (=false also allows http)");
  subcommand_->add_flag("--dest-tls-verify", dest_tls_verify_,
                        "Verify the destination registry's certificate (=false also allows http)");
  subcommand_->add_option("--src-creds", src_creds_, "USER[:PASSWORD] for the source registry");
  subcommand_->add_option("--dest-creds", dest_creds_,
                          "USER[:PASSWORD] for the destination registry");
  subcommand_->add_option("--authfile", authfile_,
                          "auth.json with the credentials for both registries");
  subcommand_->add_option("--src-authfile", src_authfile_, "auth.json for the source registry");
  subcommand_->add_option("--dest-authfile", dest_authfile_,
                          "auth.json for the destination registry");
  subcommand_->add_option("-j,--jobs", jobs_, "How many blobs to send at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
}

google::protobuf::Map<std::string, v1::Value> CopyCommand::params() const {
  google::protobuf::Map<std::string, v1::Value> params;
  params["source"] = sdk::string_value(source_);
  params["destination"] = sdk::string_value(destination_);
  params["src-tls-verify"] = sdk::bool_value(src_tls_verify_);
  params["tls-verify"] = sdk::bool_value(dest_tls_verify_);
  params["jobs"] = sdk::int_value(jobs_);
  if (!src_creds_.empty()) {
    params["src-creds"] = sdk::string_value(src_creds_);
  }
  if (!dest_creds_.empty()) {
    params["creds"] = sdk::string_value(dest_creds_);
  }
  for (const auto& [name, value] :
       {std::pair{"authfile", &authfile_}, std::pair{"src-authfile", &src_authfile_},
        std::pair{"dest-authfile", &dest_authfile_}}) {
    if (!value->empty()) {
      params[name] = sdk::string_value(*value);
    }
  }
  return params;
}

}  // namespace gantry::host
