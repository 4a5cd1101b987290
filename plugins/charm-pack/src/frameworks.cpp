// The option texts are charmcraft's (charmcraft/extensions/app.py: GUNICORN_WEBSERVER_OPTIONS,
// FlaskFramework.options and its siblings); paas-charm's prefixes and settings from
// paas_charm/{flask,django,fastapi,go}/charm.py (v1).
#include "frameworks.hpp"

#include <array>
#include <memory>

namespace gantry::charm_pack {
namespace {

YAML::Node option(const std::string& type, const std::string& description,
                  const YAML::Node& default_value = YAML::Node()) {
  YAML::Node node(YAML::NodeType::Map);
  node["type"] = type;
  if (default_value.IsDefined() && !default_value.IsNull()) {
    node["default"] = default_value;
  }
  node["description"] = description;
  return node;
}

YAML::Node plain(const std::string& text) { return YAML::Node(text); }

void gunicorn_options(YAML::Node& options) {
  options["webserver-keepalive"] = option(
      "int", "Time in seconds for webserver to wait for requests on a Keep-Alive connection.");
  options["webserver-threads"] =
      option("int", "Run each webserver worker with the specified number of threads.");
  options["webserver-timeout"] =
      option("int", "Time in seconds to kill and restart silent webserver workers.");
  options["webserver-workers"] =
      option("int", "The number of webserver worker processes for handling requests.");
  options["webserver-worker-class"] =
      option("string",
             "The webserver worker process class for handling requests. Can be either 'gevent' "
             "or 'sync'.");
}

std::string secret_id_text(const std::string& option_name, const std::string& what,
                           const std::string& example_secret, const std::string& example_app) {
  return "This configuration is similar to `" + option_name +
         "`, but instead accepts a Juju user secret ID. The secret should contain a single "
         "key, \"value\", which maps to the actual " +
         what + ". To create the secret, run the following command: `juju add-secret " +
         example_secret + " value=<secret-string> && juju grant-secret " + example_secret + " " +
         example_app + "`, and use the output secret ID to configure this option.";
}

const std::string kFromPrefixedEnv =
    " Run `app.config.from_prefixed_env()` in your Flask application in order to receive this "
    "configuration.";

YAML::Node rotate_secret_key() {
  YAML::Node actions(YAML::NodeType::Map);
  actions["rotate-secret-key"]["description"] =
      "Rotate the secret key. Users will be forced to log in again. This might be useful if a "
      "security breach occurs.";
  return actions;
}

Framework flask() {
  Framework f;
  f.extension = "flask-framework";
  f.framework = "flask";
  f.container = "flask-app";
  f.image = "flask-app-image";
  f.channels = {"22.04", "24.04"};
  YAML::Node options(YAML::NodeType::Map);
  gunicorn_options(options);
  options["flask-application-root"] = option(
      "string",
      "Path in which the application / web server is mounted. This configuration will set the "
      "FLASK_APPLICATION_ROOT environment variable." +
          kFromPrefixedEnv);
  options["flask-debug"] = option("boolean", "Whether Flask debug mode is enabled.");
  options["flask-env"] = option(
      "string", "What environment the Flask app is running in, by default it's 'production'.");
  options["flask-permanent-session-lifetime"] = option(
      "int",
      "Time in seconds for the cookie to expire in the Flask application permanent sessions. "
      "This configuration will set the FLASK_PERMANENT_SESSION_LIFETIME environment variable." +
          kFromPrefixedEnv);
  options["flask-preferred-url-scheme"] =
      option("string",
             "Scheme for generating external URLs when not in a request context in the Flask "
             "application. By default, it's \"HTTPS\". This configuration will set the "
             "FLASK_PREFERRED_URL_SCHEME environment variable." +
                 kFromPrefixedEnv,
             plain("HTTPS"));
  options["flask-secret-key"] = option(
      "string",
      "The secret key used for securely signing the session cookie and for any other security "
      "related needs by your Flask application. This configuration will set the "
      "FLASK_SECRET_KEY environment variable." +
          kFromPrefixedEnv);
  options["flask-secret-key-id"] = option(
      "secret",
      secret_id_text("flask-secret-key", "Flask secret key", "my-flask-secret-key", "flask-k8s"));
  options["flask-session-cookie-secure"] = option(
      "boolean",
      "Set the secure attribute in the Flask application cookies. This configuration will set "
      "the FLASK_SESSION_COOKIE_SECURE environment variable." +
          kFromPrefixedEnv);
  f.options = options;
  f.actions = rotate_secret_key();
  f.user_prefix = "FLASK_";
  f.framework_prefix = "FLASK_";
  f.framework_fields = {"env",
                        "debug",
                        "secret_key",
                        "secret_key_id",
                        "permanent_session_lifetime",
                        "application_root",
                        "session_cookie_secure",
                        "preferred_url_scheme"};
  return f;
}

Framework django() {
  Framework f;
  f.extension = "django-framework";
  f.framework = "django";
  f.container = "django-app";
  f.image = "django-app-image";
  f.channels = {"22.04", "24.04"};
  YAML::Node options(YAML::NodeType::Map);
  gunicorn_options(options);
  options["django-debug"] =
      option("boolean", "Whether Django debug mode is enabled.", plain("false"));
  options["django-secret-key"] = option(
      "string",
      "The secret key used for securely signing the session cookie and for any other security "
      "related needs by your Django application. This configuration will set the "
      "DJANGO_SECRET_KEY environment variable.");
  options["django-secret-key-id"] =
      option("secret", secret_id_text("django-secret-key", "Django secret key",
                                      "my-django-secret-key", "django-k8s"));
  options["django-allowed-hosts"] = option(
      "string",
      "A comma-separated list of host/domain names that this Django site can serve. This "
      "configuration will set the DJANGO_ALLOWED_HOSTS environment variable with its content "
      "being a JSON encoded list.");
  f.options = options;
  YAML::Node actions = rotate_secret_key();
  actions["create-superuser"]["description"] = "Create a new Django superuser account.";
  actions["create-superuser"]["params"]["username"]["type"] = "string";
  actions["create-superuser"]["params"]["email"]["type"] = "string";
  actions["create-superuser"]["required"].push_back("username");
  actions["create-superuser"]["required"].push_back("email");
  f.actions = actions;
  f.user_prefix = "DJANGO_";
  f.framework_prefix = "DJANGO_";
  f.framework_fields = {"debug", "secret_key", "secret_key_id", "allowed_hosts"};
  return f;
}

void metrics_and_secret_options(YAML::Node& options) {
  options["metrics-port"] =
      option("int", "Port where the prometheus metrics will be scraped.", plain("8080"));
  options["metrics-path"] =
      option("string", "Path where the prometheus metrics will be scraped.", plain("/metrics"));
  options["app-secret-key"] = option(
      "string",
      "Long secret you can use for sessions, csrf or any other thing where you need a random "
      "secret shared by all units");
  options["app-secret-key-id"] = option(
      "secret",
      secret_id_text("app-secret-key", "application secret key", "my-app-secret-key", "my-app"));
}

Framework fastapi() {
  Framework f;
  f.extension = "fastapi-framework";
  f.framework = "fastapi";
  f.container = "app";
  f.image = "app-image";
  f.channels = {"24.04"};
  YAML::Node options(YAML::NodeType::Map);
  options["webserver-workers"] =
      option("int",
             "Number of workers for uvicorn. Sets env variable WEB_CONCURRENCY. See "
             "https://www.uvicorn.org/#command-line-options.",
             plain("1"));
  options["webserver-port"] = option(
      "int", "Bind to a socket with this port. Default: 8080. Sets env variable  UVICORN_PORT.",
      plain("8080"));
  options["webserver-log-level"] = option(
      "string",
      "Set the log level. Options: 'critical', 'error', 'warning', 'info', 'debug', 'trace'. "
      "Sets the env variable UVICORN_LOG_LEVEL.",
      plain("info"));
  metrics_and_secret_options(options);
  f.options = options;
  f.actions = rotate_secret_key();
  f.user_prefix = "APP_";
  f.framework_prefix = "";
  f.framework_fields = {"uvicorn_port", "uvicorn_host", "web_concurrency", "uvicorn_log_level",
                        "metrics_port", "metrics_path", "app_secret_key"};
  return f;
}

Framework go() {
  Framework f;
  f.extension = "go-framework";
  f.framework = "go";
  f.container = "app";
  f.image = "app-image";
  f.channels = {"24.04"};
  YAML::Node options(YAML::NodeType::Map);
  options["app-port"] =
      option("int", "Default port where the application will listen on.", plain("8080"));
  metrics_and_secret_options(options);
  f.options = options;
  f.actions = rotate_secret_key();
  f.user_prefix = "APP_";
  f.framework_prefix = "APP_";
  f.framework_fields = {"port", "metrics_port", "metrics_path", "secret_key"};
  return f;
}

const std::array<Framework, 4>& all() {
  static const std::array<Framework, 4> frameworks{flask(), django(), fastapi(), go()};
  return frameworks;
}

}  // namespace

const Framework* find_framework(std::string_view extension) {
  for (const auto& framework : all()) {
    if (framework.extension == extension) {
      return &framework;
    }
  }
  return nullptr;
}

std::vector<std::string> known_extensions() {
  return {"django-framework", "expressjs-framework", "fastapi-framework",
          "flask-framework",  "go-framework",        "spring-boot-framework"};
}

}  // namespace gantry::charm_pack
