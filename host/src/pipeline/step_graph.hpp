#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gantry::host {

/// The dependencies between a pipeline's steps: a directed graph over step ids.
class StepGraph {
 public:
  /// `ids` in file order; that order breaks ties in topological_order().
  explicit StepGraph(std::vector<std::string> ids);

  /// Records that `step` needs `dependency` to finish first. Both must be known ids.
  void add_dependency(const std::string& step, const std::string& dependency);

  /// A cycle as the ids along it, the first repeated at the end (`a, b, a`), if any.
  [[nodiscard]] std::optional<std::vector<std::string>> find_cycle() const;

  /// Every id after all it depends on; among the ready, file order first.
  /// Precondition: find_cycle() found none.
  [[nodiscard]] std::vector<std::string> topological_order() const;

  [[nodiscard]] const std::set<std::string>& dependencies(const std::string& step) const;
  [[nodiscard]] bool contains(const std::string& id) const { return edges_.contains(id); }

 private:
  std::vector<std::string> ids_;
  std::map<std::string, std::set<std::string>> edges_;  // step -> what it needs
};

}  // namespace gantry::host
