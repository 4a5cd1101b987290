#include "gantry/sdk/context.hpp"

#include <gtest/gtest.h>

#include "gantry/sdk/description.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/fake_context.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::sdk {
namespace {

v1::StepDescription description() {
  return Description("demo", "1.0.0", "A demo")
      .param({.name = "token", .type = v1::PARAM_TYPE_STRING, .help = "t", .secret = true})
      .param({.name = "dir", .type = v1::PARAM_TYPE_PATH, .help = "d"})
      .param({.name = "count", .type = v1::PARAM_TYPE_INT, .help = "c"})
      .output("result", "r");
}

v1::RunRequest request() {
  v1::RunRequest request;
  request.set_working_directory("/work/project");
  (*request.mutable_params())["token"] = string_value("s3cr3t-value");
  (*request.mutable_params())["dir"] = string_value("out/rocks");
  (*request.mutable_params())["count"] = int_value(3);
  return request;
}

TEST(ContextTest, ResolvesPathParametersAgainstTheWorkingDirectory) {
  FakeContext sink;
  Context context(request(), description(), sink);
  EXPECT_EQ(context.path("dir"), std::filesystem::path("/work/project/out/rocks"));
  EXPECT_EQ(context.integer("count"), 3);
}

TEST(ContextTest, MasksSecretValuesInLogsDiagnosticsAndOutputs) {
  FakeContext sink;
  Context context(request(), description(), sink);
  context.info("logging in with s3cr3t-value now");
  v1::Diagnostic diagnostic;
  diagnostic.set_summary("bad token s3cr3t-value");
  context.diagnostic(diagnostic);
  context.output("result", "token=s3cr3t-value");
  EXPECT_EQ(sink.log_messages().at(0), "logging in with **** now");
  EXPECT_EQ(sink.diagnostics().at(0).summary(), "bad token ****");
  EXPECT_EQ(context.outputs().at("result"), "token=****");
  EXPECT_EQ(context.secret("token").reveal(), "s3cr3t-value");
}

TEST(ContextTest, MasksSecretListsMapsAndValuesLearntAtRunTime) {
  auto described = description();
  *described.add_params() = [] {
    v1::ParamSpec spec;
    spec.set_name("keys");
    spec.set_type(v1::PARAM_TYPE_MAP);
    spec.set_secret(true);
    return spec;
  }();
  auto given = request();
  (*given.mutable_params())["keys"] = map_value({{"primary", "k3y-one"}, {"backup", "k3y-two"}});
  FakeContext sink;
  Context context(given, described, sink);
  context.mask("-----BEGIN KEY-----\nMIIEvQIBADANBg\r\nkqhkiG9w0B\n}\n-----END KEY-----\n");
  context.info("keys k3y-one and k3y-two");
  context.info("MIIEvQIBADANBg");  // a multi-line secret is printed a line at a time
  context.info("kqhkiG9w0B }");
  EXPECT_EQ(sink.log_messages().at(0), "keys **** and ****");
  EXPECT_EQ(sink.log_messages().at(1), "****");
  EXPECT_EQ(sink.log_messages().at(2), "**** }") << "a line too short to be a secret stays";
}

TEST(ContextTest, RefusesAnOutputTheDescriptionDoesNotPromise) {
  FakeContext sink;
  Context context(request(), description(), sink);
  try {
    context.output("surprise", "x");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 "step 'demo' set output 'surprise', which its description does not promise");
  }
}

TEST(ContextTest, ReadingAnAbsentParameterSaysWhichAndHowToSetIt) {
  FakeContext sink;
  v1::RunRequest empty;
  Context context(empty, description(), sink);
  EXPECT_FALSE(context.has("count"));
  try {
    (void)context.integer("count");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "parameter 'count' was not given");
  }
}

TEST(ContextTest, ReadingAParameterAsAnotherTypeIsAnError) {
  FakeContext sink;
  Context context(request(), description(), sink);
  EXPECT_THROW((void)context.boolean("count"), Error);
  EXPECT_THROW((void)context.string("undeclared"), Error);
}

}  // namespace
}  // namespace gantry::sdk
