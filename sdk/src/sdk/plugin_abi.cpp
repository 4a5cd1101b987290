#include <string>

#include "gantry/sdk/plugin.hpp"
#include "gantry/sdk/step_runner.hpp"

namespace gantry::sdk::detail {
namespace {

/// Forwards events over the C callbacks the host lent for this run.
class AbiEventSink final : public EventSink {
 public:
  explicit AbiEventSink(const gantry_host_v1& host) : host_(host) {}

  void emit(const v1::RunEvent& event) override {
    const std::string bytes = event.SerializeAsString();
    host_.emit(host_.context, {reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
  }

  [[nodiscard]] bool cancelled() const override {
    return host_.is_cancelled != nullptr && host_.is_cancelled(host_.context) != 0;
  }

 private:
  const gantry_host_v1& host_;
};

void emit_internal_failure(const gantry_host_v1& host, const std::string& message) {
  v1::RunEvent event;
  event.set_time_unix_micros(now_unix_micros());
  event.mutable_result()->set_outcome(v1::OUTCOME_FAILED);
  event.mutable_result()->set_message(message);
  const std::string bytes = event.SerializeAsString();
  host.emit(host.context, {reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
}

}  // namespace

void describe_through_abi(StepFactory factory, void* sink_context,
                          gantry_bytes_sink sink) noexcept {
  try {
    const std::string bytes = factory()->describe().SerializeAsString();
    sink(sink_context, {reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
  } catch (...) {
    // An empty answer: the host reports the plugin as unable to describe itself.
    sink(sink_context, {nullptr, 0});
  }
}

void run_through_abi(StepFactory factory, gantry_borrowed_bytes request,
                     const gantry_host_v1* host) noexcept {
  if (host == nullptr || host->emit == nullptr) {
    return;
  }
  try {
    v1::RunRequest parsed;
    if (!parsed.ParseFromArray(request.data, static_cast<int>(request.size))) {
      emit_internal_failure(*host, "the host sent a run request that does not parse");
      return;
    }
    AbiEventSink sink(*host);
    auto step = factory();
    (void)run_step(*step, std::move(parsed), sink);
  } catch (const std::exception& error) {
    emit_internal_failure(*host, std::string("internal error: ") + error.what());
  } catch (...) {
    emit_internal_failure(*host, "internal error in the plugin");
  }
}

std::string describe_name(StepFactory factory) noexcept {
  try {
    return factory()->describe().name();
  } catch (...) {
    return {};
  }
}

std::string describe_version(StepFactory factory) noexcept {
  try {
    return factory()->describe().version();
  } catch (...) {
    return {};
  }
}

}  // namespace gantry::sdk::detail
