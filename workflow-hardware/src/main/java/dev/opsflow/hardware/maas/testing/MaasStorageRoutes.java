package dev.opsflow.hardware.maas.testing;

import static dev.opsflow.hardware.maas.testing.MaasResources.first;

import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.hardware.maas.testing.MaasSimulator.Answer;
import dev.opsflow.hardware.maas.testing.MaasStorage.Disk;
import dev.opsflow.hardware.maas.testing.MaasStorage.Filesystem;
import dev.opsflow.hardware.maas.testing.MaasStorage.Partition;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code nodes/{id}/blockdevices/...} as MAAS's {@code blockdevices.py} and {@code partitions.py}
 * serve them: block devices (read; {@code op=} format, unformat, mount, unmount, set_boot_disk),
 * partitions (list, create, read, delete; {@code op=} format, unformat, mount, unmount), with
 * MAAS's state rules (creating and deleting partitions and choosing the boot disk only on a Ready
 * machine, formatting and mounting on Ready or Allocated: 409 with MAAS's message otherwise), form
 * errors as a JSON map (400) and MAAS's plain-text 400s. Called under the simulator's lock.
 */
final class MaasStorageRoutes {
  static final Pattern PATH =
      Pattern.compile(
          "nodes/([a-z0-9]+)/blockdevices/(?:(\\d+)/(?:(partitions)/|partitions?/(\\d+)/?)?)?");
  private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGTPE]?)B?");
  private static final Pattern UUID4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private MaasStorageRoutes() {}

  static Answer route(
      MaasSimulator sim, String method, Matcher path, String op, Map<String, List<String>> form) {
    SimulatedMachine m = sim.machines.get(path.group(1));
    if (m == null) {
      return MaasSimulator.text(404, "No Node matches the given query.");
    }
    MaasStorage storage = m.storage;
    if (path.group(2) == null) {
      return method.equals("GET") && op.isEmpty()
          ? MaasSimulator.json(storage.disksJson(m))
          : method.equals("GET") ? MaasResources.unrecognised(method, op) : notAllowed(method);
    }
    Disk disk = storage.disk(path.group(2)).orElse(null);
    if (disk == null) {
      return MaasSimulator.text(404, "No BlockDevice matches the given query.");
    }
    if (path.group(3) != null) {
      return partitions(sim, m, disk, method, op, form);
    }
    if (path.group(4) != null) {
      Partition p = disk.partition(path.group(4)).orElse(null);
      if (p == null) {
        return MaasSimulator.text(404, "No Partition matches the given query.");
      }
      return partition(m, disk, p, method, op, form);
    }
    if (method.equals("GET") && op.isEmpty()) {
      return MaasSimulator.json(storage.diskJson(m, disk));
    }
    if (!method.equals("POST")) {
      return method.equals("GET") ? MaasResources.unrecognised(method, op) : notAllowed(method);
    }
    return switch (op) {
      case "format", "unformat", "mount", "unmount" -> filesystemOp(m, disk, null, op, form);
      case "set_boot_disk" -> {
        if (m.status != MaasStatus.READY) {
          yield conflict("Cannot set as boot disk because the machine is not Ready.");
        }
        storage.bootDiskId = disk.id;
        yield MaasSimulator.text(200, "OK");
      }
      default -> MaasResources.unrecognised(method, op);
    };
  }

  private static Answer partitions(
      MaasSimulator sim,
      SimulatedMachine m,
      Disk disk,
      String method,
      String op,
      Map<String, List<String>> form) {
    if (method.equals("GET") && op.isEmpty()) {
      return MaasSimulator.json(
          disk.partitions.stream().map(p -> MaasStorage.partitionJson(m, disk, p)).toList());
    }
    if (!method.equals("POST") || !op.isEmpty()) {
      return method.equals("POST") || method.equals("GET")
          ? MaasResources.unrecognised(method, op)
          : notAllowed(method);
    }
    if (m.status != MaasStatus.READY) {
      return conflict("Cannot create partition because the node is not Ready.");
    }
    String uuid = first(form, "uuid");
    if (uuid != null && !UUID4.matcher(uuid).matches()) {
      return MaasSimulator.invalid("uuid", "'" + uuid + "' is not a valid UUID4.");
    }
    String bootable = first(form, "bootable");
    if (bootable != null && !bootable.matches("(?i)true|false|on|off|1|0")) {
      return MaasSimulator.invalid("bootable", "'" + bootable + "' is not a boolean.");
    }
    if (disk.filesystem != null) {
      return MaasSimulator.invalid(
          "__all__", "Cannot partition a formatted block device; unformat it first.");
    }
    String sizeText = first(form, "size");
    long size;
    if (sizeText == null) {
      size =
          disk.partitioned
              ? disk.availableSize()
              : MaasStorage.alignDown(disk.size - MaasStorage.TABLE_OVERHEAD);
    } else {
      Long parsed = bytes(sizeText);
      if (parsed == null) {
        return MaasSimulator.invalid("size", "'" + sizeText + "' is not a valid size.");
      }
      if (parsed < MaasStorage.ALIGNMENT) {
        return MaasSimulator.invalid(
            "size", "Ensure this value is greater than or equal to " + MaasStorage.ALIGNMENT + ".");
      }
      if (parsed > disk.size) {
        return MaasSimulator.invalid(
            "size", "Ensure this value is less than or equal to " + disk.size + ".");
      }
      size = MaasStorage.alignDown(parsed);
    }
    long available =
        disk.partitioned
            ? disk.availableSize()
            : MaasStorage.alignDown(disk.size - MaasStorage.TABLE_OVERHEAD);
    if (size > available || size <= 0) {
      return MaasSimulator.invalid(
          "size", "Partition cannot be saved; not enough free space on the block device.");
    }
    var p =
        new Partition(
            sim.nextStorageId++,
            size,
            bootable != null && bootable.matches("(?i)true|on|1"),
            uuid != null ? uuid : MaasStorage.newUuid());
    disk.partitioned = true;
    disk.partitions.add(p);
    return MaasSimulator.json(MaasStorage.partitionJson(m, disk, p));
  }

  private static Answer partition(
      SimulatedMachine m,
      Disk disk,
      Partition p,
      String method,
      String op,
      Map<String, List<String>> form) {
    switch (method) {
      case "GET" -> {
        return op.isEmpty()
            ? MaasSimulator.json(MaasStorage.partitionJson(m, disk, p))
            : MaasResources.unrecognised(method, op);
      }
      case "DELETE" -> {
        if (m.status != MaasStatus.READY) {
          // MAAS's own wording for a partition.
          return conflict("Cannot delete block device because the node is not Ready.");
        }
        disk.partitions.remove(p);
        return new Answer(204, "text/plain", new byte[0], Map.of());
      }
      case "POST" -> {
        return switch (op) {
          case "format", "unformat", "mount", "unmount" -> filesystemOp(m, disk, p, op, form);
          default -> MaasResources.unrecognised(method, op);
        };
      }
      default -> {
        return notAllowed(method);
      }
    }
  }

  /** format, unformat, mount and unmount of a disk ({@code p} null) or a partition. */
  private static Answer filesystemOp(
      SimulatedMachine m, Disk disk, Partition p, String op, Map<String, List<String>> form) {
    String what = p == null ? "block device" : "partition";
    String kind = p == null ? "Block device" : "Partition";
    if (!MaasStorage.readyOrAllocated(m.status)) {
      return conflict(
          "Cannot "
              + op
              + " "
              + what
              + " because the "
              + (p == null ? "machine" : "node")
              + " is not Ready or Allocated.");
    }
    Filesystem fs = p == null ? disk.filesystem : p.filesystem;
    switch (op) {
      case "format" -> {
        String fstype = first(form, "fstype");
        if (fstype == null || fstype.isEmpty()) {
          return MaasSimulator.invalid("fstype", "This field is required.");
        }
        if (!MaasStorage.FORMATS.contains(fstype)) {
          return MaasSimulator.invalid(
              "fstype",
              "Select a valid choice. " + fstype + " is not one of the available choices.");
        }
        String uuid = first(form, "uuid");
        if (uuid != null && !UUID4.matcher(uuid).matches()) {
          return MaasSimulator.invalid("uuid", "'" + uuid + "' is not a valid UUID4.");
        }
        if (p == null && disk.partitioned) {
          return MaasSimulator.invalid(
              "__all__", "Cannot format block device with a partition table.");
        }
        var created = new Filesystem();
        created.fstype = fstype;
        created.label = first(form, "label");
        created.uuid = uuid != null ? uuid : MaasStorage.newUuid();
        set(disk, p, created);
      }
      case "unformat" -> {
        if (fs == null) {
          return MaasSimulator.text(400, kind + " is not formatted.");
        }
        if (fs.mountPoint != null) {
          return MaasSimulator.text(
              400,
              "Filesystem is mounted and cannot be unformatted. Unmount the filesystem before"
                  + " unformatting the "
                  + what
                  + ".");
        }
        set(disk, p, null);
      }
      case "mount" -> {
        if (fs == null) {
          return MaasSimulator.invalid(
              "__all__", "Cannot mount an unformatted partition or block device.");
        }
        String point = first(form, "mount_point");
        if (!fs.fstype.equals("swap")) {
          if (point == null || point.isEmpty()) {
            return MaasSimulator.invalid("mount_point", "This field is required.");
          }
          if (!point.startsWith("/")) {
            return MaasSimulator.invalid("mount_point", "Enter a valid absolute path.");
          }
        }
        fs.mountPoint = fs.fstype.equals("swap") ? "none" : point;
        fs.mountOptions = first(form, "mount_options");
      }
      default -> {
        if (fs == null) {
          return MaasSimulator.text(400, kind + " is not formatted.");
        }
        if (fs.mountPoint == null) {
          return MaasSimulator.text(400, "Filesystem is already unmounted.");
        }
        fs.mountPoint = null;
        fs.mountOptions = null;
      }
    }
    return MaasSimulator.json(
        p == null ? m.storage.diskJson(m, disk) : MaasStorage.partitionJson(m, disk, p));
  }

  private static void set(Disk disk, Partition p, Filesystem fs) {
    if (p == null) {
      disk.filesystem = fs;
    } else {
      p.filesystem = fs;
    }
  }

  /** MAAS's byte sizes: a number with an optional K, M, G, T, P or E (powers of 1000). */
  private static Long bytes(String text) {
    Matcher b = BYTES.matcher(text.strip().toUpperCase(java.util.Locale.ROOT));
    if (!b.matches()) {
      return null;
    }
    int power = "KMGTPE".indexOf(b.group(2).isEmpty() ? "?" : b.group(2)) + 1;
    return new java.math.BigDecimal(b.group(1))
        .multiply(java.math.BigDecimal.TEN.pow(3 * power))
        .longValue();
  }

  private static Answer conflict(String message) {
    return MaasSimulator.text(409, message);
  }

  private static Answer notAllowed(String method) {
    return MaasResources.notAllowed(method);
  }
}
