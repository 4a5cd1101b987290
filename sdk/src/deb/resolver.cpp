#include "gantry/deb/resolver.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "gantry/deb/deb_error.hpp"
#include "gantry/deb/relation.hpp"

namespace gantry::deb {
namespace {

int priority_rank(std::string_view priority) {
  static constexpr std::array<std::string_view, 5> kOrder{"required", "important", "standard",
                                                          "optional", "extra"};
  const auto found = std::find(kOrder.begin(), kOrder.end(), priority);
  return static_cast<int>(found - kOrder.begin());
}

std::string describe(const Alternatives& group) {
  std::string text;
  for (const auto& relation : group) {
    text += (text.empty() ? "" : " | ") + relation.str();
  }
  return text;
}

class Resolver {
 public:
  Resolver(const PackageIndex& index, const ResolveRequest& request)
      : index_(index), request_(request) {
    excluded_.insert(request.exclude.begin(), request.exclude.end());
    for (const auto& installed : request.installed) {
      installed_[installed.name] = &installed;
      for (const auto& [name, version] : installed.provides) {
        installed_provides_[name].push_back(version);
      }
    }
  }

  std::vector<const Package*> run() {
    for (const auto& wanted : request_.packages) {
      const auto equals = wanted.find('=');
      std::string name = wanted.substr(0, equals);
      const std::string version = equals == std::string::npos ? "" : wanted.substr(equals + 1);
      if (const auto colon = name.find(':'); colon != std::string::npos) {
        const std::string arch = name.substr(colon + 1);
        if (arch != index_.architecture() && arch != "native" && arch != "all") {
          throw DebError(
              wanted + ": gantry stages one architecture (" + index_.architecture() + ") at a time",
              "Run deb-stage with --arch " + arch + " for " + arch + " packages.");
        }
        name.resize(colon);
      }
      visit(requested(name, version), {});
    }
    return order_;
  }

 private:
  const Package* requested(const std::string& name, const std::string& version) {
    const auto& versions = index_.versions(name);
    for (const Package* package : versions) {
      if (version.empty() || package->version == version) {
        return package;
      }
    }
    if (!versions.empty()) {
      std::string available;
      for (const Package* package : versions) {
        available += (available.empty() ? "" : ", ") + std::string(package->version);
      }
      throw DebError(name + "=" + version + ": no such version (available: " + available + ")",
                     "Pin a version the repositories have, or drop '=" + version + "'.");
    }
    const auto& providers = index_.providers(name);
    if (version.empty() && providers.size() == 1) {
      return providers.front().package;
    }
    if (providers.size() > 1) {
      std::string names;
      for (const auto& provider : providers) {
        names += (names.empty() ? "" : ", ") + std::string(provider.package->name);
      }
      throw DebError(name + " is a virtual package provided by " + names,
                     "Name the one you want in --packages.");
    }
    throw DebError(name + ": not found in any repository",
                   "Check the name (apt-cache search), the architecture and the sources.");
  }

  bool arch_ok(const Relation& relation, const Package& package) const {
    if (relation.arch_qualifier == "any") {
      return package.multi_arch == "allowed";
    }
    if (relation.arch_qualifier.empty() || relation.arch_qualifier == "native") {
      return true;  // the index holds the native architecture and "all" only
    }
    return package.architecture == relation.arch_qualifier || package.architecture == "all";
  }

  bool satisfies(const Relation& relation, const Package& package) const {
    return package.name == relation.name && arch_ok(relation, package) &&
           version_satisfies(package.version, relation.op, relation.version);
  }

  bool provides(const Relation& relation, const Provider& provider) const {
    if (relation.arch_qualifier == "any" && provider.package->multi_arch != "allowed") {
      return false;
    }
    if (relation.op == VersionOp::kNone) {
      return true;
    }
    return !provider.version.empty() &&
           version_satisfies(provider.version, relation.op, relation.version);
  }

  bool already_satisfied(const Relation& relation) const {
    if (excluded_.contains(relation.name)) {
      return true;
    }
    if (const auto found = chosen_.find(relation.name);
        found != chosen_.end() && satisfies(relation, *found->second)) {
      return true;
    }
    for (const auto& provider : index_.providers(relation.name)) {
      if (const auto found = chosen_.find(std::string(provider.package->name));
          found != chosen_.end() && found->second == provider.package &&
          provides(relation, provider)) {
        return true;
      }
    }
    if (const auto found = installed_.find(relation.name);
        found != installed_.end() &&
        version_satisfies(found->second->version, relation.op, relation.version)) {
      return true;
    }
    if (const auto found = installed_provides_.find(relation.name);
        found != installed_provides_.end()) {
      for (const auto& version : found->second) {
        if (relation.op == VersionOp::kNone ||
            (!version.empty() && version_satisfies(version, relation.op, relation.version))) {
          return true;
        }
      }
    }
    return false;
  }

  // The package to stage for `relation`, or nullptr with `why` saying what is missing.
  const Package* candidate(const Relation& relation, std::string& why) const {
    const auto& versions = index_.versions(relation.name);
    for (const Package* package : versions) {
      if (satisfies(relation, *package)) {
        return package;
      }
    }
    std::vector<const Provider*> providers;
    for (const auto& provider : index_.providers(relation.name)) {
      if (provides(relation, provider)) {
        providers.push_back(&provider);
      }
    }
    if (!providers.empty()) {
      std::stable_sort(providers.begin(), providers.end(), [](const auto* a, const auto* b) {
        return priority_rank(a->package->priority) < priority_rank(b->package->priority);
      });
      return providers.front()->package;
    }
    if (versions.empty()) {
      why = index_.providers(relation.name).empty() ? "not found"
                                                    : "no provider satisfies the version";
    } else if (relation.arch_qualifier == "any" && versions.front()->multi_arch != "allowed") {
      why = "':any' needs Multi-Arch: allowed, which " + relation.name + " does not declare";
    } else {
      std::string available;
      for (const Package* package : versions) {
        available += (available.empty() ? "" : ", ") + std::string(package->version);
      }
      why = "no version satisfies it (available: " + available + ")";
    }
    return nullptr;
  }

  static std::string chain_text(const std::vector<std::string>& chain) {
    std::string text;
    for (const auto& name : chain) {
      text += name + " -> ";
    }
    return text;
  }

  void visit(const Package* package, std::vector<std::string> chain) {
    const std::string name(package->name);
    if (const auto found = chosen_.find(name); found != chosen_.end()) {
      if (found->second != package) {
        throw DebError(chain_text(chain) + package->id() + ": conflicts with " +
                           found->second->id() + ", which is already chosen",
                       "Pin one version of " + name +
                           " that satisfies every package that "
                           "needs it (--packages " +
                           name + "=VERSION).");
      }
      return;
    }
    chosen_[name] = package;
    chain.push_back(name);
    const std::string origin = package->id();
    auto groups = parse_relations(package->pre_depends, origin);
    auto depends = parse_relations(package->depends, origin);
    groups.insert(groups.end(), depends.begin(), depends.end());
    for (const auto& group : groups) {
      if (std::any_of(group.begin(), group.end(),
                      [&](const Relation& relation) { return already_satisfied(relation); })) {
        continue;
      }
      const Package* choice = nullptr;
      std::string reasons;
      for (const auto& relation : group) {
        std::string why;
        choice = candidate(relation, why);
        if (choice != nullptr) {
          const auto chosen = chosen_.find(std::string(choice->name));
          if (chosen != chosen_.end() && chosen->second != choice) {
            throw DebError(chain_text(chain) + relation.str() + ": needs " + choice->id() +
                               ", but " + chosen->second->id() + " is already chosen",
                           "Pin one version of " + std::string(choice->name) +
                               " that satisfies every package that needs it (--packages " +
                               std::string(choice->name) + "=VERSION).");
          }
          break;
        }
        reasons += (reasons.empty() ? "" : "; ") +
                   (group.size() > 1 ? relation.str() + ": " : std::string()) + why;
      }
      if (choice == nullptr) {
        throw DebError(chain_text(chain) + describe(group) + ": " + reasons,
                       "Add a repository that has it (--sources), pin other versions, or "
                       "--exclude the package that needs it if the target already has it.");
      }
      visit(choice, chain);
    }
    order_.push_back(package);
  }

  const PackageIndex& index_;
  const ResolveRequest& request_;
  std::set<std::string, std::less<>> excluded_;
  std::map<std::string, const InstalledPackage*, std::less<>> installed_;
  std::map<std::string, std::vector<std::string>, std::less<>> installed_provides_;
  std::map<std::string, const Package*, std::less<>> chosen_;
  std::vector<const Package*> order_;
};

}  // namespace

std::vector<const Package*> resolve(const PackageIndex& index, const ResolveRequest& request) {
  return Resolver(index, request).run();
}

std::vector<InstalledPackage> read_dpkg_status(const std::string& text, const std::string& origin) {
  std::vector<InstalledPackage> installed;
  for_each_paragraph(text, origin, [&](const Paragraph& paragraph) {
    const auto status = value_words(paragraph.get("Status"));
    if (status.size() != 3 || status[2] != "installed") {
      return;
    }
    InstalledPackage package{
        std::string(paragraph.get("Package")), std::string(paragraph.get("Version")), {}};
    for (const auto& group : parse_relations(paragraph.get("Provides"), origin)) {
      for (const auto& provided : group) {
        package.provides.emplace_back(provided.name, provided.version);
      }
    }
    installed.push_back(std::move(package));
  });
  return installed;
}

}  // namespace gantry::deb
