#pragma once

#include <filesystem>
#include <string_view>

#include "pipeline/pipeline.hpp"

namespace gantry::host {

/// Reads a pipeline file. Throws InvalidPipeline listing every structural mistake
/// (YAML syntax, unknown keys, duplicate ids, wrong shapes) with file:line:column, or
/// gantry::Error when the file cannot be read.
[[nodiscard]] Pipeline parse_pipeline_file(const std::filesystem::path& file);

/// The same for text already in memory; `file` names it in messages.
[[nodiscard]] Pipeline parse_pipeline(std::string_view text, const std::filesystem::path& file);

}  // namespace gantry::host
