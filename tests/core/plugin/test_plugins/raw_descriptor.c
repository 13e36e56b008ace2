/* A plugin written against the bare C ABI whose handshake fields are set by
 * compile definitions, so the suite can build deliberately broken plugins. */
#include <lendgate/plugin.h>

#ifndef TEST_ABI_MAJOR
#define TEST_ABI_MAJOR LENDGATE_ABI_MAJOR
#endif
#ifndef TEST_ABI_MINOR
#define TEST_ABI_MINOR LENDGATE_ABI_MINOR
#endif
#ifndef TEST_STRUCT_SIZE
#define TEST_STRUCT_SIZE sizeof(lendgate_plugin_descriptor)
#endif

static int create(const lendgate_host_api *host, const char *config, size_t len, void **instance,
                  const lendgate_diagnostics *diag) {
    static int token;
    (void)host;
    (void)config;
    (void)len;
    (void)diag;
    *instance = &token;
    return LENDGATE_OK;
}

static void destroy(void *instance) {
    (void)instance;
}

static const lendgate_plugin_descriptor descriptor = {
    .struct_size = TEST_STRUCT_SIZE,
    .abi_major = TEST_ABI_MAJOR,
    .abi_minor = TEST_ABI_MINOR,
    .name = "raw",
    .version = "0.0.1",
    .description = "bare C ABI test plugin",
    .config_schema = "{\"type\":\"object\",\"additionalProperties\":false}",
    .capabilities = 0,
    .create = create,
    .destroy = destroy,
};

#ifndef TEST_NO_ENTRY
LENDGATE_PLUGIN_EXPORT const lendgate_plugin_descriptor *lendgate_plugin_entry(uint16_t major, uint16_t minor) {
    (void)major;
    (void)minor;
    return &descriptor;
}
#else
/* Exported, but under the wrong name. */
LENDGATE_PLUGIN_EXPORT const lendgate_plugin_descriptor *lendgate_plugin_entry_v0(void) {
    return &descriptor;
}
#endif

#ifdef TEST_UNDEFINED_SYMBOL
/* Never defined anywhere: dlopen(RTLD_NOW) must fail and say which symbol. */
extern int lendgate_test_symbol_nobody_defines(void);
LENDGATE_PLUGIN_EXPORT int lendgate_test_use_undefined(void) {
    return lendgate_test_symbol_nobody_defines();
}
#endif
