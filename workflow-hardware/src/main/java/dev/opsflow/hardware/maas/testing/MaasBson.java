package dev.opsflow.hardware.maas.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code GET machines/{id}/?op=details}: MAAS answers it as BSON ({@code
 * application/bson}), a document of {@code lldp} and {@code lshw} binary XML dumps (null before
 * commissioning). The BSON writing here covers exactly that shape (binary and null elements).
 */
final class MaasBson {
  private MaasBson() {}

  static byte[] details(SimulatedMachine m) {
    var parts = new LinkedHashMap<String, byte[]>();
    if (m.commissioned) {
      parts.put(
          "lldp",
          ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lldp label=\"LLDP neighbors\">"
                  + "<interface label=\"Interface\" name=\"eth0\"><chassis label=\"Chassis\">"
                  + "<name label=\"SysName\">tor-switch-1</name></chassis></interface></lldp>\n")
              .getBytes(StandardCharsets.UTF_8));
      parts.put(
          "lshw",
          ("<?xml version=\"1.0\" standalone=\"yes\" ?>\n<list><node id=\""
                  + m.hostname
                  + "\" class=\"system\"><vendor>Opsflow</vendor><product>Sim-1U</product>"
                  + "<serial>SIM"
                  + String.format("%06d", m.index)
                  + "</serial></node></list>\n")
              .getBytes(StandardCharsets.UTF_8));
    } else {
      parts.put("lldp", null);
      parts.put("lshw", null);
    }
    return document(parts);
  }

  /** A BSON document of binary (subtype 0) or null elements. */
  static byte[] document(Map<String, byte[]> elements) {
    var body = new ByteArrayOutputStream();
    elements.forEach(
        (name, value) -> {
          body.write(value == null ? 0x0A : 0x05);
          body.writeBytes(name.getBytes(StandardCharsets.UTF_8));
          body.write(0);
          if (value != null) {
            body.writeBytes(int32(value.length));
            body.write(0x00);
            body.writeBytes(value);
          }
        });
    body.write(0);
    var doc = new ByteArrayOutputStream();
    doc.writeBytes(int32(body.size() + 4));
    doc.writeBytes(body.toByteArray());
    return doc.toByteArray();
  }

  private static byte[] int32(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
  }
}
