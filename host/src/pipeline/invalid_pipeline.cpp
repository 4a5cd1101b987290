#include "pipeline/invalid_pipeline.hpp"

#include <algorithm>
#include <tuple>

namespace gantry::host {
namespace {

std::vector<Problem> in_file_order(std::vector<Problem> problems) {
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    return std::tie(a.position.line, a.position.column) <
           std::tie(b.position.line, b.position.column);
  });
  return problems;
}

std::string summary(const std::vector<Problem>& problems) {
  if (problems.size() == 1) {
    return problems.front().to_string();
  }
  return std::to_string(problems.size()) + " problems in " +
         (problems.empty() ? std::string("the pipeline") : problems.front().position.file);
}

}  // namespace

std::string Problem::to_string() const { return position.to_string() + ": " + message; }

InvalidPipeline::InvalidPipeline(std::vector<Problem> problems)
    : Error(summary(problems), "Fix the pipeline file; nothing was run."),
      problems_(in_file_order(std::move(problems))) {}

}  // namespace gantry::host
