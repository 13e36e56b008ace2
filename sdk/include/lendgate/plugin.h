/*
 * lendgate plugin ABI: the contract between the gateway and a format plugin.
 *
 * Pure C so that a plugin built with another compiler, or against last year's
 * SDK, keeps working. Nothing allocated on one side is freed on the other:
 * every string handed across is borrowed for the duration of the call, and
 * every result goes through a host-owned callback that copies what it keeps.
 *
 * Compatibility rules (checked by the host before any other call):
 *   - abi_major must equal the host's; abi_minor must be <= the host's.
 *   - struct_size must cover every field the plugin's declared minor defines.
 *   - New fields are only ever appended, and a new minor is declared for them.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef LENDGATE_PLUGIN_H
#define LENDGATE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LENDGATE_ABI_MAJOR 1
#define LENDGATE_ABI_MINOR 1

#if defined(_WIN32)
#define LENDGATE_PLUGIN_EXPORT __declspec(dllexport)
#else
#define LENDGATE_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Name of the one symbol a plugin exports. */
#define LENDGATE_PLUGIN_ENTRY_SYMBOL "lendgate_plugin_entry"

/* Status codes returned by every plugin function. */
typedef enum lendgate_status {
    LENDGATE_OK = 0,
    /* The configuration handed to create() cannot be used. */
    LENDGATE_ERR_CONFIG = 1,
    /* The input as a whole is unusable (unreadable, control totals wrong...).
     * Records already emitted must be discarded by the host. */
    LENDGATE_ERR_INPUT = 2,
    /* A host callback (reader, writer) reported failure. */
    LENDGATE_ERR_IO = 3,
    /* The plugin does not support the requested message type or direction. */
    LENDGATE_ERR_UNSUPPORTED = 4,
    /* The host asked the plugin to stop (a sink returned non-zero). */
    LENDGATE_ERR_ABORTED = 5,
    /* A bug or resource failure inside the plugin. */
    LENDGATE_ERR_INTERNAL = 6
} lendgate_status;

/* Capability bits in lendgate_plugin_descriptor.capabilities. */
#define LENDGATE_CAP_DECODE 0x1u
#define LENDGATE_CAP_ENCODE 0x2u
/* Decode keeps memory bounded whatever the input size. */
#define LENDGATE_CAP_STREAMING 0x4u
/* Encode of `ack` takes one large ACK in slices, so that neither side holds
 * the whole document: consecutive `ack` records sharing a message_id are one
 * ACK; each repeats the envelope and the head of the payload (subject,
 * status, counts, errors) and carries the next slice of payload.records, in
 * order. The plugin writes exactly the bytes it writes for the whole ACK
 * (one header, every record's rows, one trailer). Without this bit the host
 * passes the ACK as one record, as a host that predates this bit does. */
#define LENDGATE_CAP_ACK_SLICES 0x8u

/* Log levels for lendgate_host_api.log. */
typedef enum lendgate_log_level {
    LENDGATE_LOG_DEBUG = 0,
    LENDGATE_LOG_INFO = 1,
    LENDGATE_LOG_WARNING = 2,
    LENDGATE_LOG_ERROR = 3
} lendgate_log_level;

/* Services the host offers a plugin instance. Valid until destroy(). */
typedef struct lendgate_host_api {
    uint32_t struct_size;
    void *ctx;
    /* Never pass personal data (names, SSNs, account numbers, VINs) here. */
    void (*log)(void *ctx, int level, const char *message, size_t message_len);
    /* Wall clock, milliseconds since the Unix epoch (tests may fake it). */
    int64_t (*now_unix_ms)(void *ctx);
    /* ABI 1.1 (read it only if struct_size covers it): the absolute folder of
     * the configuration file, so that relative paths inside a configuration
     * (an XSD, a code table) mean the same whatever the daemon's working
     * directory; "" or NULL when the configuration did not come from a file. */
    const char *config_dir;
} lendgate_host_api;

/* Where in the input a record or an error was found. Unknown fields are 0 or NULL. */
typedef struct lendgate_location {
    uint64_t record;      /* 1-based record number within the input */
    uint64_t line;        /* 1-based line number of the record's first line */
    uint64_t byte_offset; /* offset of the record's first byte */
    const char *path;     /* element path (XML) or JSON Pointer, NUL-terminated */
} lendgate_location;

/* Errors and diagnostics, copied by the host before the callback returns.
 * `field` is a JSON Pointer into the canonical record ("" when not known) or
 * the source column name; `message` must never contain the field's value. */
typedef struct lendgate_diagnostics {
    void *ctx;
    /* One record could not be used; decoding continues with the next. */
    void (*record_error)(void *ctx, const lendgate_location *where, const char *code, const char *field,
                         const char *message);
    /* Why the whole call failed; call before returning a non-OK status. */
    void (*fail)(void *ctx, const char *code, const char *message);
} lendgate_diagnostics;

/* Pull reader over the input. Returns LENDGATE_OK and sets *n_read (0 = end of
 * input), or another status on I/O failure. */
typedef struct lendgate_reader {
    void *ctx;
    int (*read)(void *ctx, char *buffer, size_t capacity, size_t *n_read);
} lendgate_reader;

/* Receives decoded canonical records (one JSON object each, UTF-8). Returns 0
 * to continue, non-zero to ask the plugin to stop (it then returns ABORTED). */
typedef struct lendgate_record_sink {
    void *ctx;
    int (*record)(void *ctx, const char *message_type, const char *json, size_t json_len,
                  const lendgate_location *where);
} lendgate_record_sink;

/* Pull source of canonical records for encode. Returns 1 with json and json_len
 * set (valid until the next call), 0 at the end, negative on failure. */
typedef struct lendgate_record_source {
    void *ctx;
    int (*next)(void *ctx, const char **json, size_t *json_len);
} lendgate_record_source;

/* Byte sink for encode. Returns LENDGATE_OK or another status on failure. */
typedef struct lendgate_writer {
    void *ctx;
    int (*write)(void *ctx, const char *data, size_t len);
} lendgate_writer;

/* One message type a plugin can decode or encode, and the media type of the
 * partner-side bytes (e.g. "text/csv"). */
typedef struct lendgate_format {
    const char *message_type;
    const char *media_type;
} lendgate_format;

typedef struct lendgate_plugin_descriptor {
    uint32_t struct_size; /* sizeof(lendgate_plugin_descriptor) as the plugin saw it */
    uint16_t abi_major;
    uint16_t abi_minor;
    const char *name;          /* short identifier, [a-z0-9_-]+ */
    const char *version;       /* the plugin's own version, semver */
    const char *description;   /* one sentence for operators */
    const char *config_schema; /* JSON Schema (draft-07) text for create()'s config */
    uint64_t capabilities;     /* LENDGATE_CAP_* bits */
    const lendgate_format *decodes;
    size_t decodes_count;
    const lendgate_format *encodes;
    size_t encodes_count;

    /* Builds an instance from a configuration the host has already validated
     * against config_schema. On failure, reports through diag->fail. */
    int (*create)(const lendgate_host_api *host, const char *config_json, size_t config_len, void **instance,
                  const lendgate_diagnostics *diag);
    void (*destroy)(void *instance);

    /* Reads partner bytes and emits canonical records. `message_type` is the
     * type the host expects, or NULL to let the plugin decide per record.
     * Bad records go to diag->record_error and decoding continues. */
    int (*decode)(void *instance, const char *message_type, const lendgate_reader *input,
                  const lendgate_record_sink *output, const lendgate_diagnostics *diag);

    /* Pulls canonical records of `message_type` and writes partner bytes. */
    int (*encode)(void *instance, const char *message_type, const lendgate_record_source *input,
                  const lendgate_writer *output, const lendgate_diagnostics *diag);
} lendgate_plugin_descriptor;

/* Smallest struct_size a plugin declaring ABI 1.0 may report. */
#define LENDGATE_DESCRIPTOR_SIZE_1_0 (offsetof(lendgate_plugin_descriptor, encode) + sizeof(void (*)(void)))

/* The one exported function. The host passes its own ABI version; the plugin
 * returns its descriptor (static storage, never freed) whatever the host's
 * version, so the host can report a mismatch precisely. */
typedef const lendgate_plugin_descriptor *(*lendgate_plugin_entry_fn)(uint16_t host_abi_major, uint16_t host_abi_minor);

#ifdef __cplusplus
}
#endif

#endif /* LENDGATE_PLUGIN_H */
