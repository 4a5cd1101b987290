#include "pipeline/step_graph.hpp"

#include <functional>
#include <queue>

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
  // Kahn's algorithm, taking the ready step that comes first in the file each time:
  // file order first among the ready, in O((steps + needs) log steps).
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    index.emplace(ids_[i], i);
  }
  std::vector<std::size_t> unmet(ids_.size(), 0);
  std::vector<std::vector<std::size_t>> needed_by(ids_.size());
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    for (const auto& need : edges_.at(ids_[i])) {
      ++unmet[i];  // a need that is no step is never met
      if (const auto found = index.find(need); found != index.end()) {
        needed_by[found->second].push_back(i);
      }
    }
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    if (unmet[i] == 0) {
      ready.push(i);
    }
  }
  std::vector<std::string> order;
  while (!ready.empty()) {
    const std::size_t next = ready.top();
    ready.pop();
    order.push_back(ids_[next]);
    for (const std::size_t waiting : needed_by[next]) {
      if (--unmet[waiting] == 0) {
        ready.push(waiting);
      }
    }
  }
  return order;  // short of every step when there is a cycle: find_cycle() says which
}

}  // namespace gantry::host
