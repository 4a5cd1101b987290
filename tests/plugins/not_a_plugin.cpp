// A shared library without the gantry entry alias.
extern "C" int not_a_plugin_answer() { return 42; }
