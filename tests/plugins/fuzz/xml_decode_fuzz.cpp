// Any bytes as a partner XML document: the plugin ends with OK or "input
// unusable", never crashes, hangs or leaks, and every record it emits is valid
// JSON. The input's first byte picks the instance: without an XSD, or with one
// (written to a temporary file at start-up), so schema validation and its
// error descriptions are fuzzed too.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "plugin_fuzz_support.h"

namespace {

// Namespaces and a prefix, attributes, nested and repeated groups, fixed array
// positions, constants, and every transform; tight limits so they are reached.
constexpr std::string_view kMapping = R"(
  "message_type": "hardship_application",
  "root": "Batch", "record": "R",
  "namespace": "urn:fuzz", "namespaces": {"x": "urn:fuzz:x"},
  "limits": {"max_depth": 6, "max_record_bytes": 4096, "max_record_nodes": 64, "max_text_bytes": 256},
  "fields": [
    {"path": "@id", "to": "/idempotency_key", "required": true},
    {"path": "At", "to": "/occurred_at", "transform": "date_time", "utc_offset": "-07:00"},
    {"path": "D", "to": "/payload/d", "transform": "date", "format": "MM/DD/YYYY", "time": "08:00:00",
     "utc_offset": "Z"},
    {"path": "D2", "to": "/payload/d2", "transform": "date"},
    {"path": "N", "to": "/payload/n", "transform": ["trim", "integer"]},
    {"path": "B/@v", "to": "/payload/b", "transform": "boolean"},
    {"path": "x:C", "to": "/payload/c", "transform": ["trim", "upper", "code_table"], "codes": {"A": "ALPHA"}},
    {"path": "P/Q", "to": "/payload/parties/1/name", "transform": "lower"},
    {"path": "L/I", "to": "/payload/list", "repeat": true, "fields": [
      {"path": "@t", "to": "/type", "required": true},
      {"path": ".", "to": "/amount", "transform": "decimal"},
      {"path": "S", "to": "/subs", "repeat": true, "transform": "trim"}
    ]},
    {"path": "G", "to": "/payload/group", "fields": [
      {"const": "GRANT", "to": "/action"},
      {"path": "@x:k", "to": "/k", "required": true}
    ]},
    {"path": "T", "to": "/payload/text"}
  ]
)";

constexpr std::string_view kXsd = R"(<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:fuzz" xmlns="urn:fuzz"
           elementFormDefault="qualified">
  <xs:element name="R">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="At" type="xs:dateTime" minOccurs="0"/>
        <xs:element name="N" type="xs:integer" minOccurs="0"/>
        <xs:element name="L" minOccurs="0">
          <xs:complexType><xs:sequence>
            <xs:element name="I" maxOccurs="5">
              <xs:complexType><xs:simpleContent><xs:extension base="xs:decimal">
                <xs:attribute name="t" use="required"><xs:simpleType><xs:restriction base="xs:string">
                  <xs:enumeration value="a"/><xs:pattern value="[a-z]"/></xs:restriction></xs:simpleType>
                </xs:attribute></xs:extension></xs:simpleContent></xs:complexType>
            </xs:element>
          </xs:sequence></xs:complexType>
        </xs:element>
        <xs:element name="T" minOccurs="0"><xs:simpleType><xs:restriction base="xs:string">
          <xs:maxLength value="8"/></xs:restriction></xs:simpleType></xs:element>
      </xs:sequence>
      <xs:attribute name="id" type="xs:ID" use="required"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
)";

void *withSchema() {
    char path[] = "/tmp/lendgate-xml-fuzz-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) std::abort();
    close(fd);
    std::ofstream(path, std::ios::binary) << kXsd;
    void *instance = lendgate::fuzz::createOrAbort("{" + std::string(kMapping) + R"(, "xsd": ")" + path + "\"}");
    unlink(path);  // compiled at create(); the file is not needed again
    return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static void *plain = lendgate::fuzz::createOrAbort("{" + std::string(kMapping) + "}");
    static void *validated = withSchema();
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    lendgate::fuzz::decodeChecked(size > 0 && (data[0] & 0x80) != 0 ? validated : plain, input);
    return 0;
}
