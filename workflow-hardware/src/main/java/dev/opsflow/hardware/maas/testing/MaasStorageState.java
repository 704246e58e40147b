package dev.opsflow.hardware.maas.testing;

import dev.opsflow.hardware.maas.testing.MaasStorage.Disk;
import dev.opsflow.hardware.maas.testing.MaasStorage.Filesystem;
import dev.opsflow.hardware.maas.testing.MaasStorage.Partition;
import dev.opsflow.workflow.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A machine's {@link MaasStorage} in the simulator's state file ({@link MaasState}). */
final class MaasStorageState {
  private MaasStorageState() {}

  /** The layout as the state file keeps it. */
  static ObjectNode snapshot(MaasStorage storage) {
    ObjectNode s = Json.mapper().createObjectNode();
    s.put("bootDiskId", storage.bootDiskId);
    ArrayNode all = s.putArray("disks");
    for (Disk d : storage.disks) {
      ObjectNode j = all.addObject();
      j.put("id", d.id);
      j.put("partitioned", d.partitioned);
      j.set(
          "filesystem",
          Json.mapper().valueToTree(d.filesystem == null ? null : d.filesystem.toJson()));
      ArrayNode parts = j.putArray("partitions");
      for (Partition p : d.partitions) {
        ObjectNode pj = parts.addObject();
        pj.put("id", p.id).put("size", p.size).put("bootable", p.bootable).put("uuid", p.uuid);
        pj.set(
            "filesystem",
            Json.mapper().valueToTree(p.filesystem == null ? null : p.filesystem.toJson()));
      }
    }
    return s;
  }

  /** Reads back what {@link #snapshot} wrote. */
  static void restore(JsonNode s, MaasStorage storage) {
    storage.bootDiskId = s.path("bootDiskId").asInt(storage.bootDiskId);
    for (JsonNode j : s.path("disks")) {
      Disk d = storage.disk(j.path("id").asString()).orElse(null);
      if (d == null) {
        continue;
      }
      d.partitioned = j.path("partitioned").asBoolean(false);
      d.filesystem = filesystem(j.path("filesystem"));
      d.partitions.clear();
      for (JsonNode pj : j.path("partitions")) {
        var p =
            new Partition(
                pj.path("id").asInt(),
                pj.path("size").asLong(),
                pj.path("bootable").asBoolean(false),
                pj.path("uuid").asString());
        p.filesystem = filesystem(pj.path("filesystem"));
        d.partitions.add(p);
      }
    }
  }

  private static Filesystem filesystem(JsonNode j) {
    if (j == null || !j.isObject()) {
      return null;
    }
    var fs = new Filesystem();
    fs.fstype = j.path("fstype").asString();
    fs.label = j.path("label").isNull() ? null : j.path("label").asString(null);
    fs.uuid = j.path("uuid").asString(null);
    fs.mountPoint = j.path("mount_point").isNull() ? null : j.path("mount_point").asString(null);
    fs.mountOptions =
        j.path("mount_options").isNull() ? null : j.path("mount_options").asString(null);
    return fs;
  }
}
