#include "pipeline/step_graph.hpp"

#include <functional>

namespace gantry::host {

StepGraph::StepGraph(std::vector<std::string> ids) : ids_(std::move(ids)) {
  for (const auto& id : ids_) {
    edges_[id];
  }
}

void StepGraph::add_dependency(const std::string& step, const std::string& dependency) {
  edges_.at(step).insert(dependency);
}

const std::set<std::string>& StepGraph::dependencies(const std::string& step) const {
  return edges_.at(step);
}

std::optional<std::vector<std::string>> StepGraph::find_cycle() const {
  enum class Mark { kUnvisited, kOnPath, kDone };
  std::map<std::string, Mark> marks;
  std::vector<std::string> path;
  std::optional<std::vector<std::string>> cycle;

  const std::function<bool(const std::string&)> visit = [&](const std::string& id) {
    marks[id] = Mark::kOnPath;
    path.push_back(id);
    for (const auto& next : edges_.at(id)) {
      if (marks[next] == Mark::kOnPath) {
        auto start = std::find(path.begin(), path.end(), next);
        cycle = std::vector<std::string>(start, path.end());
        cycle->push_back(next);
        return true;
      }
      if (marks[next] == Mark::kUnvisited && visit(next)) {
        return true;
      }
    }
    path.pop_back();
    marks[id] = Mark::kDone;
    return false;
  };

  for (const auto& id : ids_) {
    if (marks[id] == Mark::kUnvisited && visit(id)) {
      // Report the cycle in the direction a reader follows it: from a step to what needs it.
      std::reverse(cycle->begin(), cycle->end());
      return cycle;
    }
  }
  return std::nullopt;
}

std::vector<std::string> StepGraph::topological_order() const {
  std::vector<std::string> order;
  std::set<std::string> placed;
  while (order.size() < ids_.size()) {
    bool progressed = false;
    for (const auto& id : ids_) {
      if (placed.contains(id)) {
        continue;
      }
      const auto& needs = edges_.at(id);
      if (std::all_of(needs.begin(), needs.end(),
                      [&](const std::string& need) { return placed.contains(need); })) {
        order.push_back(id);
        placed.insert(id);
        progressed = true;
        break;  // restart from the top: file order first among the ready
      }
    }
    if (!progressed) {
      break;  // a cycle: the caller checked find_cycle() first
    }
  }
  return order;
}

}  // namespace gantry::host
