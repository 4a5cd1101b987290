#include "pipeline/step_graph.hpp"

#include <gtest/gtest.h>

namespace gantry::host {
namespace {

using Ids = std::vector<std::string>;

TEST(StepGraphTest, OrdersStepsAfterWhatTheyNeedAndKeepsFileOrderOtherwise) {
  StepGraph graph({"deploy", "pack", "push", "lint"});
  graph.add_dependency("deploy", "push");
  graph.add_dependency("push", "pack");
  EXPECT_FALSE(graph.find_cycle());
  EXPECT_EQ(graph.topological_order(), (Ids{"pack", "push", "deploy", "lint"}));
}

TEST(StepGraphTest, IndependentStepsStayInFileOrder) {
  StepGraph graph({"c", "a", "b"});
  EXPECT_EQ(graph.topological_order(), (Ids{"c", "a", "b"}));
}

TEST(StepGraphTest, FindsACycleAndNamesItsSteps) {
  StepGraph graph({"a", "b", "c", "d"});
  graph.add_dependency("b", "a");
  graph.add_dependency("c", "b");
  graph.add_dependency("a", "c");
  graph.add_dependency("d", "a");
  const auto cycle = graph.find_cycle();
  ASSERT_TRUE(cycle);
  ASSERT_EQ(cycle->size(), 4U);
  EXPECT_EQ(cycle->front(), cycle->back());
  EXPECT_EQ(*cycle, (Ids{"a", "b", "c", "a"}));
}

TEST(StepGraphTest, FindsASelfLoop) {
  StepGraph graph({"a"});
  graph.add_dependency("a", "a");
  EXPECT_EQ(graph.find_cycle(), (Ids{"a", "a"}));
}

}  // namespace
}  // namespace gantry::host
