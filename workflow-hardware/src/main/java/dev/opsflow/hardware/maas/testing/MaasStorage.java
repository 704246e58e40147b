package dev.opsflow.hardware.maas.testing;

import dev.opsflow.hardware.maas.MaasStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A machine's storage as MAAS keeps it: two physical disks ({@code sda}, the boot disk, and {@code
 * sdb}), each either formatted whole or carrying a GPT partition table of partitions, and
 * filesystems that are mounted or not. A machine that has never been commissioned has none;
 * commissioning ends by applying MAAS's default flat layout to the boot disk ({@link
 * #applyDefaultLayout}: a 512 MiB fat32 EFI partition at {@code /boot/efi} and an ext4 root at
 * {@code /}), replacing what the user made. The sizes follow MAAS's partition table: 4 MiB before
 * the first partition, 1 MiB at the end, sizes aligned down to 4 MiB. Guarded by the simulator's
 * lock; routes in {@link MaasStorageRoutes}.
 */
final class MaasStorage {
  static final long ALIGNMENT = 4L << 20;
  static final long TABLE_OVERHEAD = (4L << 20) + (1L << 20);
  static final List<String> FORMATS =
      List.of("ext2", "ext4", "xfs", "fat32", "vfat", "swap", "ramfs", "tmpfs", "btrfs", "zfsroot");

  /** A filesystem on a disk or partition; mounted when it has a mount point. */
  static final class Filesystem {
    String fstype;
    String label;
    String uuid;
    String mountPoint;
    String mountOptions;

    Map<String, Object> toJson() {
      var fs = new LinkedHashMap<String, Object>();
      fs.put("fstype", fstype);
      fs.put("label", label);
      fs.put("uuid", uuid);
      fs.put("mount_point", mountPoint);
      fs.put("mount_options", mountOptions);
      return fs;
    }
  }

  /** A partition of a disk's partition table. */
  static final class Partition {
    final int id;
    final long size;
    final boolean bootable;
    final String uuid;
    Filesystem filesystem;

    Partition(int id, long size, boolean bootable, String uuid) {
      this.id = id;
      this.size = size;
      this.bootable = bootable;
      this.uuid = uuid;
    }
  }

  /** A physical disk. */
  static final class Disk {
    final int id;
    final String name;
    final long size;
    final String model;
    final String serial;
    final String tag;
    Filesystem filesystem;
    boolean partitioned;
    final List<Partition> partitions = new ArrayList<>();

    Disk(int id, String name, long size, String model, String serial, String tag) {
      this.id = id;
      this.name = name;
      this.size = size;
      this.model = model;
      this.serial = serial;
      this.tag = tag;
    }

    long usedSize() {
      if (filesystem != null) {
        return size;
      }
      return partitioned ? TABLE_OVERHEAD + partitions.stream().mapToLong(p -> p.size).sum() : 0;
    }

    long availableSize() {
      return alignDown(size - usedSize());
    }

    Optional<Partition> partition(String id) {
      return partitions.stream().filter(p -> String.valueOf(p.id).equals(id)).findFirst();
    }
  }

  final List<Disk> disks = new ArrayList<>();
  int bootDiskId;

  MaasStorage(SimulatedMachine m) {
    disks.add(
        new Disk(
            m.diskId(),
            "sda",
            m.diskSize(),
            "SAMSUNG MZ7LH960",
            "S45NNA0M" + String.format("%05d", m.index),
            "ssd"));
    disks.add(
        new Disk(
            100_000 + m.index,
            "sdb",
            4_000_787_030_016L,
            "ST4000NM000A",
            "WFN0" + String.format("%05d", m.index),
            "rotary"));
    bootDiskId = m.diskId();
  }

  static long alignDown(long size) {
    return size - Math.floorMod(size, ALIGNMENT);
  }

  Optional<Disk> disk(String id) {
    return disks.stream().filter(d -> String.valueOf(d.id).equals(id)).findFirst();
  }

  /** MAAS's default flat layout on the first disk, as commissioning leaves a machine. */
  void applyDefaultLayout(SimulatedMachine m) {
    disks.forEach(
        d -> {
          d.filesystem = null;
          d.partitioned = false;
          d.partitions.clear();
        });
    bootDiskId = m.diskId();
    Disk boot = disks.get(0);
    boot.partitioned = true;
    long efiSize = 512L << 20;
    var efi = new Partition(400_000 + m.index * 10, efiSize, true, stableUuid(m, "efi"));
    efi.filesystem = filesystem("fat32", "efi", stableUuid(m, "efi-fs"), "/boot/efi");
    boot.partitions.add(efi);
    var root =
        new Partition(400_001 + m.index * 10, boot.availableSize(), false, stableUuid(m, "root"));
    root.filesystem = filesystem("ext4", "root", stableUuid(m, "root-fs"), "/");
    boot.partitions.add(root);
  }

  private static Filesystem filesystem(String type, String label, String uuid, String mount) {
    var fs = new Filesystem();
    fs.fstype = type;
    fs.label = label;
    fs.uuid = uuid;
    fs.mountPoint = mount;
    return fs;
  }

  private static String stableUuid(SimulatedMachine m, String what) {
    return UUID.nameUUIDFromBytes(
            (what + "-" + m.systemId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  /** Why MAAS would refuse to deploy this layout ({@code storage} errors), or empty. */
  List<String> deploymentIssues() {
    boolean root =
        disks.stream()
            .anyMatch(
                d ->
                    mountedAtRoot(d.filesystem)
                        || d.partitions.stream().anyMatch(p -> mountedAtRoot(p.filesystem)));
    return root
        ? List.of()
        : List.of("Mount the root '/' filesystem to be able to deploy this node.");
  }

  private static boolean mountedAtRoot(Filesystem fs) {
    return fs != null && "/".equals(fs.mountPoint);
  }

  /** MAAS's {@code used_for} of a disk or partition. */
  static String usedFor(Filesystem fs, Disk partitionsOf) {
    if (fs != null) {
      return fs.mountPoint != null
          ? fs.fstype + " formatted filesystem mounted at " + fs.mountPoint
          : "Unmounted " + fs.fstype + " formatted filesystem";
    }
    if (partitionsOf != null && partitionsOf.partitioned) {
      int n = partitionsOf.partitions.size();
      return "GPT partitioned with " + n + " partition" + (n == 1 ? "" : "s");
    }
    return "Unused";
  }

  /** A disk's JSON (MAAS's {@code DISPLAYED_BLOCKDEVICE_FIELDS}). */
  Map<String, Object> diskJson(SimulatedMachine m, Disk d) {
    String uri = MaasJson.ROOT + "nodes/" + m.systemId + "/blockdevices/" + d.id + "/";
    var j = new LinkedHashMap<String, Object>();
    j.put("system_id", m.systemId);
    j.put("id", d.id);
    j.put("name", d.name);
    j.put("uuid", null);
    j.put("type", "physical");
    j.put("path", "/dev/disk/by-dname/" + d.name);
    j.put("model", d.model);
    j.put("serial", d.serial);
    j.put("id_path", "/dev/disk/by-id/wwn-0x" + Integer.toHexString(0x5000c500 + d.id));
    j.put("size", d.size);
    j.put("block_size", d.tag.equals("ssd") ? 512 : 4096);
    j.put("available_size", d.availableSize());
    j.put("used_size", d.usedSize());
    j.put("used_for", usedFor(d.filesystem, d));
    j.put("tags", List.of(d.tag));
    j.put("filesystem", d.filesystem == null ? null : d.filesystem.toJson());
    j.put("partition_table_type", d.partitioned ? "GPT" : null);
    var parts = new ArrayList<Object>();
    d.partitions.forEach(p -> parts.add(partitionJson(m, d, p)));
    j.put("partitions", parts);
    j.put("firmware_version", d.tag.equals("ssd") ? "HXT7404Q" : "SN04");
    j.put("storage_pool", null);
    j.put("numa_node", 0);
    j.put("resource_uri", uri);
    return j;
  }

  /** A partition's JSON (MAAS's {@code DISPLAYED_PARTITION_FIELDS}). */
  static Map<String, Object> partitionJson(SimulatedMachine m, Disk d, Partition p) {
    var j = new LinkedHashMap<String, Object>();
    j.put("system_id", m.systemId);
    j.put("device_id", d.id);
    j.put("id", p.id);
    j.put("uuid", p.uuid);
    j.put("path", "/dev/disk/by-dname/" + d.name + "-part" + (d.partitions.indexOf(p) + 1));
    j.put("type", "partition");
    j.put("size", p.size);
    j.put("bootable", p.bootable);
    j.put("filesystem", p.filesystem == null ? null : p.filesystem.toJson());
    j.put("used_for", usedFor(p.filesystem, null));
    j.put("tags", List.of());
    j.put(
        "resource_uri",
        MaasJson.ROOT + "nodes/" + m.systemId + "/blockdevices/" + d.id + "/partition/" + p.id);
    return j;
  }

  /** Every disk's JSON, the boot disk first. */
  List<Object> disksJson(SimulatedMachine m) {
    var all = new ArrayList<Object>();
    disks.stream()
        .sorted((a, b) -> Boolean.compare(b.id == bootDiskId, a.id == bootDiskId))
        .forEach(d -> all.add(diskJson(m, d)));
    return all;
  }

  Map<String, Object> bootDiskJson(SimulatedMachine m) {
    return diskJson(m, disk(String.valueOf(bootDiskId)).orElseThrow());
  }

  static String newUuid() {
    return UUID.randomUUID().toString();
  }

  /** The statuses in which MAAS lets a disk or partition be formatted or mounted. */
  static boolean readyOrAllocated(MaasStatus s) {
    return s == MaasStatus.READY || s == MaasStatus.ALLOCATED;
  }
}
