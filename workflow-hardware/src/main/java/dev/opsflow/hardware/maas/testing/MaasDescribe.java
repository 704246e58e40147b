package dev.opsflow.hardware.maas.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The anonymous {@code describe/} document of the {@link MaasSimulator}, in MAAS's shape ({@code
 * doc}, {@code resources} with {@code anon}/{@code auth} handlers and their {@code actions}, and
 * the older {@code handlers} alias): what API-description-driven clients such as python-libmaas and
 * the MAAS CLI read to learn the endpoints. It lists exactly what the simulator serves.
 */
final class MaasDescribe {
  /** A handler: its name, path and actions ({@code name:METHOD:op}, op empty when RESTful). */
  private record Handler(String resource, String name, String path, List<String> actions) {}

  private static final List<Handler> HANDLERS =
      List.of(
          new Handler("VersionHandler", "VersionHandler", "version/", List.of("read:GET:")),
          new Handler(
              "MachinesHandler",
              "MachinesHandler",
              "machines/",
              List.of(
                  "read:GET:",
                  "create:POST:",
                  "allocate:POST:allocate",
                  "release:POST:release",
                  "power_parameters:GET:power_parameters")),
          new Handler(
              "MachineHandler",
              "MachineHandler",
              "machines/{system_id}/",
              List.of(
                  "read:GET:",
                  "update:PUT:",
                  "delete:DELETE:",
                  "commission:POST:commission",
                  "deploy:POST:deploy",
                  "release:POST:release",
                  "abort:POST:abort",
                  "power_on:POST:power_on",
                  "power_off:POST:power_off",
                  "query_power_state:GET:query_power_state",
                  "power_parameters:GET:power_parameters",
                  "details:GET:details",
                  "mark_broken:POST:mark_broken",
                  "mark_fixed:POST:mark_fixed",
                  "lock:POST:lock",
                  "unlock:POST:unlock")),
          new Handler(
              "InterfacesHandler",
              "InterfacesHandler",
              "nodes/{system_id}/interfaces/",
              List.of("read:GET:")),
          new Handler(
              "InterfaceHandler",
              "InterfaceHandler",
              "nodes/{system_id}/interfaces/{id}/",
              List.of(
                  "read:GET:", "link_subnet:POST:link_subnet", "unlink_subnet:POST:unlink_subnet")),
          new Handler(
              "BlockDevicesHandler",
              "BlockDevicesHandler",
              "nodes/{system_id}/blockdevices/",
              List.of("read:GET:")),
          new Handler(
              "BlockDeviceHandler",
              "BlockDeviceHandler",
              "nodes/{system_id}/blockdevices/{id}/",
              List.of(
                  "read:GET:",
                  "format:POST:format",
                  "unformat:POST:unformat",
                  "mount:POST:mount",
                  "unmount:POST:unmount",
                  "set_boot_disk:POST:set_boot_disk")),
          new Handler(
              "PartitionsHandler",
              "PartitionsHandler",
              "nodes/{system_id}/blockdevices/{device_id}/partitions/",
              List.of("read:GET:", "create:POST:")),
          new Handler(
              "PartitionHandler",
              "PartitionHandler",
              "nodes/{system_id}/blockdevices/{device_id}/partition/{id}",
              List.of(
                  "read:GET:",
                  "delete:DELETE:",
                  "format:POST:format",
                  "unformat:POST:unformat",
                  "mount:POST:mount",
                  "unmount:POST:unmount")),
          new Handler(
              "UsersHandler", "UsersHandler", "users/", List.of("read:GET:", "whoami:GET:whoami")),
          new Handler("UserHandler", "UserHandler", "users/{username}/", List.of("read:GET:")),
          new Handler(
              "ZonesHandler", "ZonesHandler", "zones/", List.of("read:GET:", "create:POST:")),
          new Handler(
              "ZoneHandler",
              "ZoneHandler",
              "zones/{name}/",
              List.of("read:GET:", "update:PUT:", "delete:DELETE:")),
          new Handler(
              "ResourcePoolsHandler",
              "ResourcePoolsHandler",
              "resourcepools/",
              List.of("read:GET:", "create:POST:")),
          new Handler(
              "ResourcePoolHandler",
              "ResourcePoolHandler",
              "resourcepool/{id}/",
              List.of("read:GET:")),
          new Handler("DomainsHandler", "DomainsHandler", "domains/", List.of("read:GET:")),
          new Handler("DomainHandler", "DomainHandler", "domains/{id}/", List.of("read:GET:")),
          new Handler("FabricsHandler", "FabricsHandler", "fabrics/", List.of("read:GET:")),
          new Handler("FabricHandler", "FabricHandler", "fabrics/{id}/", List.of("read:GET:")),
          new Handler(
              "VlansHandler", "VlansHandler", "fabrics/{fabric_id}/vlans/", List.of("read:GET:")),
          new Handler("SubnetsHandler", "SubnetsHandler", "subnets/", List.of("read:GET:")),
          new Handler("SubnetHandler", "SubnetHandler", "subnets/{id}/", List.of("read:GET:")),
          new Handler("SpacesHandler", "SpacesHandler", "spaces/", List.of("read:GET:")),
          new Handler("SpaceHandler", "SpaceHandler", "spaces/{id}/", List.of("read:GET:")),
          new Handler(
              "DevicesHandler", "DevicesHandler", "devices/", List.of("read:GET:", "create:POST:")),
          new Handler(
              "DeviceHandler",
              "DeviceHandler",
              "devices/{system_id}/",
              List.of("read:GET:", "update:PUT:", "delete:DELETE:")),
          new Handler("TagsHandler", "TagsHandler", "tags/", List.of("read:GET:", "create:POST:")),
          new Handler(
              "TagHandler",
              "TagHandler",
              "tags/{name}/",
              List.of(
                  "read:GET:",
                  "delete:DELETE:",
                  "machines:GET:machines",
                  "update_nodes:POST:update_nodes")));

  private MaasDescribe() {}

  static Map<String, Object> describe(MaasSimulator sim) {
    var resources = new ArrayList<Map<String, Object>>();
    var handlers = new ArrayList<Map<String, Object>>();
    for (Handler h : HANDLERS) {
      Map<String, Object> auth = handler(sim, h);
      var resource = new LinkedHashMap<String, Object>();
      boolean anonymous = h.name().equals("VersionHandler");
      resource.put("anon", anonymous ? auth : null);
      resource.put("auth", anonymous ? null : auth);
      resource.put("name", h.resource());
      resources.add(resource);
      handlers.add(auth);
    }
    var doc = new LinkedHashMap<String, Object>();
    doc.put("doc", "MAAS API");
    doc.put("hash", Integer.toHexString(HANDLERS.hashCode()));
    doc.put("resources", resources);
    doc.put("handlers", handlers);
    return doc;
  }

  private static Map<String, Object> handler(MaasSimulator sim, Handler h) {
    var actions = new ArrayList<Map<String, Object>>();
    for (String spec : h.actions()) {
      String[] parts = spec.split(":", -1);
      var action = new LinkedHashMap<String, Object>();
      action.put("doc", "");
      action.put("method", parts[1]);
      action.put("name", parts[0]);
      action.put("op", parts[2].isEmpty() ? null : parts[2]);
      action.put("restful", parts[2].isEmpty());
      actions.add(action);
    }
    var params = new ArrayList<String>();
    var matcher = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(h.path());
    while (matcher.find()) {
      params.add(matcher.group(1));
    }
    var handler = new LinkedHashMap<String, Object>();
    handler.put("actions", actions);
    handler.put("doc", h.name());
    handler.put("name", h.name());
    handler.put("params", params);
    handler.put("path", MaasJson.ROOT + h.path());
    handler.put("uri", sim.baseUri().replace("/MAAS", "") + MaasJson.ROOT + h.path());
    return handler;
  }
}
