// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/settings_loader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <glob.h>

#include "connectors/lorawan/codecs/codec_registry.h"
#include "gateway/bus/broker_url.h"
#include "gateway/config/broker_access_loader.h"
#include "gateway/config/connectors_loader.h"
#include "gateway/config/json_mapping_loader.h"
#include "gateway/config/lorawan_loader.h"
#include "gateway/config/meter_loader.h"
#include "gateway/config/routing_loader.h"
#include "gateway/config/sharing_loader.h"
#include "gateway/core/spelling.h"
#include "gateway/core/time_zone.h"
#include "gateway/core/topic.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {
namespace {

namespace fs = std::filesystem;
using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kTopKeys{
    "instance",   "broker",       "storage",        "stakeholders", "entities",
    "rules",      "time_zone",    "stats_interval", "limits",       "rules_reload",
    "connectors", "broker_users", "agreements",     "routing"};
const std::vector<std::string> kBrokerKeys{
    "url", "client_id", "username", "password_env", "password_file", "tls", "connect_timeout"};
const std::vector<std::string> kStorageKeys{
    "data_dir",         "explain_retention",     "history_retention",
    "restore_window",   "dead_letter_retention", "outbox_limit",
    "downsample_after", "downsample_to"};
const std::vector<std::string> kStakeholderKeys{"id", "name", "kind", "contact", "password_file"};
const std::vector<std::string> kEntityKeys{"id",        "type",       "provider", "building",
                                           "served_by", "attributes", "tags",     "meter",
                                           "lorawan"};
const std::vector<std::string> kLimitsKeys{"max_payload_bytes", "max_clock_ahead",
                                           "max_clock_behind", "source_rate", "source_burst"};
const std::vector<std::string> kRulesReloadKeys{"watch", "debounce"};
constexpr std::chrono::milliseconds kMinDebounce{50};

std::string resolve(const fs::path& base, const std::string& path) {
    const fs::path p(path);
    return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

std::string escape_glob(const std::string& path) {
    std::string out;
    for (const char c : path) {
        if (c == '*' || c == '?' || c == '[' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

struct Expanded {
    std::vector<std::string> files;     // sorted, unique
    std::vector<std::string> patterns;  // as given to glob(3)
};

// A list of strings or a single string, each a path or glob relative to the config's folder.
Expanded expand_paths(const YAML::Node& node, const fs::path& base, const std::string& file,
                      const char* what, Diagnostics& diagnostics) {
    std::vector<YAML::Node> items;
    if (node.IsScalar()) {
        items.push_back(node);
    } else if (node.IsSequence()) {
        for (const auto& item : node) {
            items.push_back(item);
        }
    } else {
        diagnostics.error("config.bad-paths",
                          fmt::format("'{}' must be a file name or a list of them", what),
                          span_of(node, file));
        return {};
    }
    Expanded expanded;
    std::vector<std::string>& paths = expanded.files;
    for (const auto& item : items) {
        if (!item.IsScalar()) {
            diagnostics.error("config.bad-paths", "expected a file name or a glob such as rules/*.yaml",
                              span_of(item, file));
            continue;
        }
        // The folder of the configuration is taken literally, even if its name holds '*' or '['.
        const std::string pattern = resolve(escape_glob(base.string()), item.Scalar());
        expanded.patterns.push_back(pattern);
        glob_t matches{};
        const int status = ::glob(pattern.c_str(), 0, nullptr, &matches);
        std::size_t found = 0;
        if (status == 0) {
            for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
                std::error_code error;
                if (fs::is_regular_file(matches.gl_pathv[i], error)) {
                    paths.emplace_back(matches.gl_pathv[i]);
                    ++found;
                }
            }
        }
        if (status == GLOB_ABORTED || status == GLOB_NOSPACE) {
            diagnostics.error("config.unreadable-folder",
                              fmt::format("cannot read the folders of '{}'", item.Scalar()),
                              span_of(item, file));
        } else if (found == 0) {
            diagnostics.error("config.no-such-file",
                              fmt::format("no file matches '{}'", item.Scalar()), span_of(item, file));
        }
        ::globfree(&matches);
    }
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    return expanded;
}

// A plain scalar is a boolean (YAML 1.2 core schema: true/True/TRUE, false/…), a finite decimal
// number, or text; a quoted scalar is always text.
Value scalar_value(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    if (node.Tag() != "!") {
        if (text == "true" || text == "True" || text == "TRUE") {
            return true;
        }
        if (text == "false" || text == "False" || text == "FALSE") {
            return false;
        }
        double number = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (!text.empty() && error == std::errc() && end == text.data() + text.size() &&
            std::isfinite(number)) {
            return number;
        }
    }
    return text;
}

const char* type_name(const Value& value) {
    if (std::holds_alternative<double>(value)) {
        return "a number";
    }
    return std::holds_alternative<bool>(value) ? "true/false" : "text";
}

void read_broker(const YAML::Node& node, const std::string& file, Settings& settings,
                 Diagnostics& diagnostics) {
    MappingReader reader(node, file, "broker section", kBrokerKeys, diagnostics);
    if (auto url = reader.optional_string("url")) {
        settings.broker.url = *url;
        if (auto parsed = bus::parse_broker_url(*url); !parsed) {
            diagnostics.error("config.bad-broker-url", parsed.error().message,
                              span_of(reader.get("url"), file));
        }
    }
    settings.broker.client_id = reader.optional_string("client_id").value_or("");
    settings.broker.username = reader.optional_string("username").value_or("");
    if (auto variable = reader.optional_string("password_env")) {
        const char* secret = std::getenv(variable->c_str());
        if (secret == nullptr) {
            diagnostics.error("config.missing-secret",
                              fmt::format("the environment variable '{}' holding the broker password "
                                          "is not set",
                                          *variable),
                              span_of(reader.get("password_env"), file));
        } else {
            settings.broker.password = secret;
        }
    }
    if (auto file_name = read_password_file(reader, "password_file")) {
        if (reader.has("password_env")) {
            diagnostics.error("config.two-secrets",
                              "give the broker password by 'password_env' or by 'password_file', "
                              "not both",
                              span_of(reader.get("password_file"), file));
        } else if (auto secret = read_secret(*file_name)) {
            settings.broker.password = std::move(*secret);
            settings.broker.password_file = *file_name;
        } else {
            diagnostics.error("config.missing-secret", secret.error().message,
                              span_of(reader.get("password_file"), file));
        }
    }
    if (const YAML::Node tls = reader.get("tls")) {
        settings.broker.tls = read_broker_tls(tls, file, diagnostics);
        const auto url = bus::parse_broker_url(settings.broker.url);
        if (url && !url->tls) {
            diagnostics.error("config.tls-without-ssl",
                              fmt::format("'tls' is given but the broker URL '{}' is not TLS: "
                                          "use ssl://host:8883 (or mqtts://)",
                                          settings.broker.url),
                              span_of(tls, file));
        }
    }
    if (auto timeout = reader.optional_duration("connect_timeout")) {
        settings.broker.connect_timeout = *timeout;
    }
}

/// The store's retentions and bounds, in the `storage` section read by `reader`.
void read_store_settings(MappingReader& reader, const std::string& file, Settings& settings,
                         Diagnostics& diagnostics) {
    const auto positive = [&](const char* key, Duration& out) {
        if (auto duration = reader.optional_duration(key)) {
            if (duration->count() <= 0) {
                diagnostics.error("config.bad-retention", fmt::format("'{}' must be positive", key),
                                  span_of(reader.get(key), file));
            } else {
                out = *duration;
            }
        }
    };
    positive("history_retention", settings.history_retention);
    positive("restore_window", settings.restore_window);
    positive("dead_letter_retention", settings.dead_letter_retention);
    positive("downsample_to", settings.downsample_to);
    if (reader.get("downsample_after")) {
        Duration after{};
        positive("downsample_after", after);
        if (after.count() > 0) {
            settings.downsample_after = after;
        }
    }
    if (settings.downsample_after && *settings.downsample_after < settings.restore_window) {
        diagnostics.error(
            "config.bad-downsample",
            fmt::format("'downsample_after' ({}) cannot be shorter than 'restore_window' ({}): "
                        "the rules resume from every reading of that window",
                        format_duration(*settings.downsample_after),
                        format_duration(settings.restore_window)),
            span_of(reader.get("downsample_after"), file));
    }
    // Evaluating again history that is no longer kept would resume from less than it says.
    if (settings.restore_window > settings.history_retention) {
        diagnostics.error(
            "config.bad-restore-window",
            fmt::format("'restore_window' ({}) cannot be longer than 'history_retention' ({}): the "
                        "rules cannot evaluate again readings the store no longer keeps",
                        format_duration(settings.restore_window),
                        format_duration(settings.history_retention)),
            span_of(
                reader.get(reader.get("restore_window") ? "restore_window" : "history_retention"),
                file));
    }
    if (auto limit = reader.optional_int("outbox_limit")) {
        if (*limit < 1) {
            diagnostics.error("config.bad-outbox-limit", "'outbox_limit' must be at least 1",
                              span_of(reader.get("outbox_limit"), file));
        } else {
            settings.outbox_limit = static_cast<std::size_t>(*limit);
        }
    }
}

/// `limits.source_rate` and `limits.source_burst` (the burst defaults to the rate).
void read_source_rate(MappingReader& reader, const std::string& file, Settings& settings,
                      Diagnostics& diagnostics) {
    for (const char* key : {"source_rate", "source_burst"}) {
        if (auto value = reader.optional_int(key)) {
            if (*value < 0) {
                diagnostics.error("config.bad-rate",
                                  fmt::format("'{}' is messages a second, 0 or more", key),
                                  span_of(reader.get(key), file));
                continue;
            }
            (std::string_view(key) == "source_rate" ? settings.source_rate
                                                    : settings.source_burst) = *value;
        }
    }
    if (settings.source_burst == 0) {
        settings.source_burst = settings.source_rate;
    }
}

void read_rules_reload(const YAML::Node& node, const std::string& file, Settings& settings,
                       Diagnostics& diagnostics) {
    MappingReader reader(node, file, "rules_reload section", kRulesReloadKeys, diagnostics);
    if (reader.optional_string("watch")) {
        const Value watch = scalar_value(reader.get("watch"));
        if (const bool* flag = std::get_if<bool>(&watch)) {
            settings.rules_reload.watch = *flag;
        } else {
            diagnostics.error("config.bad-watch", "'watch' must be true or false",
                              span_of(reader.get("watch"), file));
        }
    }
    if (auto debounce = reader.optional_duration("debounce")) {
        // Shorter, and a reload could read a file that an editor is still writing.
        if (*debounce < kMinDebounce) {
            diagnostics.error("config.bad-debounce", "'debounce' must be at least 50ms",
                              span_of(reader.get("debounce"), file));
        } else {
            settings.rules_reload.debounce = *debounce;
        }
    }
}

void read_stakeholders(const YAML::Node& node, const std::string& file, Settings& settings,
                       Diagnostics& diagnostics) {
    if (!node.IsSequence()) {
        diagnostics.error("config.bad-stakeholders", "'stakeholders' must be a list",
                          span_of(node, file));
        return;
    }
    for (const auto& item : node) {
        MappingReader reader(item, file, "stakeholder", kStakeholderKeys, diagnostics);
        const auto id = reader.required_string("id");
        if (!id) {
            continue;
        }
        const SourceSpan span = span_of(reader.get("id"), file);
        if (!is_identifier(*id)) {
            diagnostics.error("config.bad-id",
                              fmt::format("stakeholder id '{}' may only hold letters, digits, '-', "
                                          "'_' and '.'",
                                          *id),
                              span);
            continue;
        }
        if (settings.territory.find_stakeholder(*id) != nullptr) {
            diagnostics.error("config.duplicate-stakeholder",
                              fmt::format("stakeholder '{}' is declared twice", *id), span);
            continue;
        }
        settings.territory.stakeholders.push_back(
            {*id, reader.optional_string("name").value_or(*id),
             reader.optional_string("kind").value_or(""), span,
             reader.optional_string("contact").value_or("")});
        if (auto secret = read_password_file(reader, "password_file")) {
            settings.stakeholder_password_files[*id] = *secret;
        }
    }
}

// `tags: [rdc, chauffage-collectif]`: identifiers, since rules name them in selectors.
std::vector<std::string> read_tags(MappingReader& reader) {
    std::vector<std::string> tags;
    const YAML::Node node = reader.get("tags");
    if (!node) {
        return tags;
    }
    if (!node.IsSequence()) {
        reader.diagnostics().error("config.bad-tags", "'tags' is a list, e.g. [rdc, sud]",
                                   span_of(node, reader.file()));
        return tags;
    }
    for (const auto& tag : node) {
        if (!tag.IsScalar() || !is_identifier(tag.Scalar())) {
            reader.diagnostics().error(
                "config.bad-tags",
                "a tag may only hold letters, digits, '-', '_' and '.'",
                span_of(tag, reader.file()));
            continue;
        }
        tags.push_back(tag.Scalar());
    }
    return tags;
}

struct AttributeType {
    Value exemplar;
    YAML::Node node;
};

std::vector<std::string> lorawan_codec_names() {
    std::vector<std::string> names;
    for (const auto& codec : connectors::lorawan::payload_codecs()) {
        names.emplace_back(codec.name);
    }
    return names;
}

void read_entities_file(const std::string& path, Settings& settings, Diagnostics& diagnostics,
                        std::map<std::string, AttributeType>& attribute_types) {
    auto root = rules::load_yaml_file(path, diagnostics);
    if (!root) {
        return;
    }
    MappingReader top(*root, path, "entities file", {"attributes", "entities"}, diagnostics);
    if (const YAML::Node declarations = top.get("attributes")) {
        read_attribute_declarations(declarations, path, settings.territory, diagnostics);
    }
    const YAML::Node list = top.get("entities");
    if (!list || !list.IsSequence()) {
        diagnostics.error("config.bad-entities", "an entities file holds 'entities:', a list",
                          SourceSpan{path, 1, 1, 1});
        return;
    }
    for (const auto& item : list) {
        MappingReader reader(item, path, "entity", kEntityKeys, diagnostics);
        const auto id = reader.required_string("id");
        const auto provider = reader.required_string("provider");
        if (!id || !provider) {
            continue;
        }
        Entity entity;
        entity.id = *id;
        entity.provider = *provider;
        entity.type = reader.optional_string("type").value_or("");
        entity.building = reader.optional_string("building").value_or("");
        entity.served_by = reader.optional_string("served_by").value_or("");
        entity.span = span_of(reader.get("id"), path);
        entity.tags = read_tags(reader);
        if (!is_identifier(entity.id)) {
            diagnostics.error("config.bad-id",
                              fmt::format("entity id '{}' may only hold letters, digits, '-', '_' "
                                          "and '.'",
                                          entity.id),
                              entity.span);
            continue;
        }
        if (settings.territory.find_stakeholder(entity.provider) == nullptr) {
            diagnostics.error("config.unknown-stakeholder",
                              fmt::format("provider '{}' is not a declared stakeholder{}",
                                          entity.provider,
                                          did_you_mean(entity.provider,
                                                       settings.territory.stakeholder_ids())),
                              span_of(reader.get("provider"), path));
        }
        if (const YAML::Node attributes = reader.get("attributes")) {
            if (!attributes.IsMap()) {
                diagnostics.error("config.bad-attributes", "'attributes' must map names to values",
                                  span_of(attributes, path));
            } else {
                for (const auto& attribute : attributes) {
                    if (attribute.second.IsScalar()) {
                        const std::string& name = attribute.first.Scalar();
                        Value value = scalar_value(attribute.second);
                        // Rules are type-checked against an attribute's type: a value of another
                        // type (`vulnerable: oui`) would silently never match, so it is an error.
                        const auto [first, inserted] =
                            attribute_types.emplace(name, AttributeType{value, attribute.second});
                        if (!inserted && first->second.exemplar.index() != value.index()) {
                            diagnostics.error(
                                "config.attribute-type",
                                fmt::format("attribute '{}' is {} here but {} at line {}; give it "
                                            "the same type everywhere (true/false, a number, or "
                                            "text)",
                                            name, type_name(value), type_name(first->second.exemplar),
                                            first->second.node.Mark().line + 1),
                                span_of(attribute.second, path));
                        }
                        entity.attributes[name] = std::move(value);
                    } else {
                        diagnostics.error("config.bad-attributes",
                                          "an attribute's value must be a single value",
                                          span_of(attribute.second, path));
                    }
                }
            }
        }
        if (const YAML::Node meter = reader.get("meter")) {
            read_meter(meter, path, entity.id, settings.territory.meters, diagnostics);
        }
        if (const YAML::Node device = reader.get("lorawan")) {
            read_lorawan_device(device, path, entity.id, lorawan_codec_names(),
                                settings.territory.lorawan, diagnostics);
        }
        const SourceSpan span = entity.span;
        const std::string entity_id = entity.id;
        if (!settings.territory.entities.add(std::move(entity))) {
            diagnostics.error("config.duplicate-entity",
                              fmt::format("entity '{}' is declared twice", entity_id), span);
        }
    }
}

// `served_by` names the entity supplying another (a building's heat substation): a typo there
// would silently drop the landlords of an operator's notifications, so it must exist.
void check_relations(const EntityRegistry& entities, Diagnostics& diagnostics) {
    std::vector<std::string> ids;
    for (const auto& entity : entities.all()) {
        ids.push_back(entity.id);
    }
    for (const auto& entity : entities.all()) {
        if (!entity.served_by.empty() && entities.find(entity.served_by) == nullptr) {
            diagnostics.error("config.unknown-entity",
                              fmt::format("entity '{}' is served by '{}', which is not a declared "
                                          "entity{}",
                                          entity.id, entity.served_by,
                                          did_you_mean(entity.served_by, ids)),
                              entity.span);
        }
    }
}

}  // namespace

std::optional<Settings> load_settings(const std::string& path, Diagnostics& diagnostics) {
    const std::size_t errors_before = diagnostics.error_count();
    auto root = rules::load_yaml_file(path, diagnostics);
    if (!root) {
        return std::nullopt;
    }
    const fs::path base = fs::path(path).parent_path();
    MappingReader reader(*root, path, "configuration", kTopKeys, diagnostics);
    if (!root->IsMap()) {
        return std::nullopt;
    }
    Settings settings;
    settings.config_path = path;
    if (auto instance = reader.optional_string("instance")) {
        if (is_identifier(*instance)) {
            settings.instance = *instance;
        } else {
            diagnostics.error("config.bad-instance",
                              fmt::format("instance '{}' may only hold letters, digits, '-', '_' "
                                          "and '.', since it becomes an MQTT topic level",
                                          *instance),
                              span_of(reader.get("instance"), path));
        }
    }
    if (auto interval = reader.optional_duration("stats_interval")) {
        if (*interval < std::chrono::milliseconds(100)) {
            diagnostics.error("config.bad-interval", "'stats_interval' must be at least 100ms",
                              span_of(reader.get("stats_interval"), path));
        } else {
            settings.stats_interval = *interval;
        }
    }
    if (const YAML::Node broker = reader.get("broker")) {
        read_broker(broker, path, settings, diagnostics);
    }
    if (settings.broker.client_id.empty()) {
        settings.broker.client_id = "passerelle-" + settings.instance;
    }
    if (const YAML::Node storage = reader.get("storage")) {
        MappingReader storage_reader(storage, path, "storage section", kStorageKeys, diagnostics);
        if (auto dir = storage_reader.optional_string("data_dir")) {
            settings.data_dir = resolve(base, *dir);
        }
        if (auto retention = storage_reader.optional_duration("explain_retention")) {
            settings.explain_retention = *retention;
        }
        read_store_settings(storage_reader, path, settings, diagnostics);
    }
    if (const YAML::Node limits = reader.get("limits")) {
        MappingReader limits_reader(limits, path, "limits section", kLimitsKeys, diagnostics);
        if (auto bytes = limits_reader.optional_int("max_payload_bytes")) {
            settings.max_payload_bytes = static_cast<std::size_t>(std::max(*bytes, 64));
        }
        if (auto ahead = limits_reader.optional_duration("max_clock_ahead")) {
            settings.max_clock_ahead = *ahead;
        }
        if (auto behind = limits_reader.optional_duration("max_clock_behind")) {
            settings.max_clock_behind = *behind;
        }
        read_source_rate(limits_reader, path, settings, diagnostics);
    }
    if (const YAML::Node rules_reload = reader.get("rules_reload")) {
        read_rules_reload(rules_reload, path, settings, diagnostics);
    }
    if (const YAML::Node connectors = reader.get("connectors")) {
        read_connectors(connectors, path, settings.connectors, diagnostics);
    }
    if (const YAML::Node stakeholders = reader.get("stakeholders")) {
        read_stakeholders(stakeholders, path, settings, diagnostics);
    }
    if (const YAML::Node users = reader.get("broker_users")) {
        settings.broker_users = read_broker_users(users, path, settings, diagnostics);
    }
    if (const YAML::Node entities = reader.get("entities")) {
        std::map<std::string, AttributeType> attribute_types;
        for (const auto& file : expand_paths(entities, base, path, "entities", diagnostics).files) {
            read_entities_file(file, settings, diagnostics, attribute_types);
        }
        check_relations(settings.territory.entities, diagnostics);
    }
    check_json_mapping_entities(settings.connectors.json, settings.territory.entities, diagnostics);
    // A Modbus device is named after the entity its readings belong to.
    for (const auto& device : settings.connectors.modbus_devices) {
        if (settings.territory.entities.find(device.name) == nullptr) {
            diagnostics.error("config.unknown-entity",
                              fmt::format("Modbus device '{}' is not an entity of the registry: "
                                          "name the device after its entity",
                                          device.name),
                              span_of(reader.get("connectors"), path));
        }
    }
    const auto zone = reader.optional_string("time_zone");
    if (auto loaded = TimeZone::load(zone.value_or("Europe/Paris")); loaded) {
        settings.time_zone = std::move(*loaded);
    } else {
        diagnostics.error("config.bad-time-zone", loaded.error().message,
                          zone ? span_of(reader.get("time_zone"), path) : SourceSpan{path, 1, 1, 1});
    }
    if (const YAML::Node agreements = reader.get("agreements")) {
        read_agreements(agreements, path, settings.time_zone, settings.territory, diagnostics);
    }
    if (const YAML::Node routing = reader.get("routing")) {
        settings.routing = read_routing(routing, path, settings.territory, diagnostics);
    }
    if (const YAML::Node rule_globs = reader.get("rules")) {
        auto expanded = expand_paths(rule_globs, base, path, "rules", diagnostics);
        settings.rule_files = std::move(expanded.files);
        settings.rule_globs = std::move(expanded.patterns);
    } else {
        diagnostics.error("config.no-rules",
                          "the configuration needs 'rules:', the rules files to load (e.g. "
                          "rules/*.yaml)",
                          SourceSpan{path, 1, 1, 1});
    }
    if (diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    return settings;
}

}  // namespace passerelle::config
