package dev.opsflow.redis.enterprise.testing;

import dev.opsflow.redis.enterprise.client.SshSession;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * The places the simulated cluster writes exports to and reads imports from, as the API's location
 * objects name them: a mount point ({@code path}), SFTP ({@code sftp_url}, {@code key}; the
 * server's host key checked against the simulator's known_hosts), FTP ({@code type: url}, an {@code
 * ftp://user:password@host:port/path} URL, through the JDK's FTP client, binary mode) and S3
 * ({@code bucket_name}, {@code subdir}, {@code filename}, {@code access_key_id}, {@code
 * secret_access_key}): the simulator keeps its own S3 store, one directory per bucket made with
 * {@link RedisEnterpriseSimulator#s3Bucket}, which checks the keys as S3 would. Failures are
 * IOExceptions whose message starts with the API's reason ({@code no-permission}, {@code
 * wrong-file-path}). Thread-safe.
 */
final class SimulatorLocations {
  private final SimulatorApi api;
  private final Path s3Root;
  private final Map<String, String[]> s3Buckets = new ConcurrentHashMap<>();

  SimulatorLocations(SimulatorApi api) {
    this.api = api;
    try {
      this.s3Root = Files.createTempDirectory("opsflow-re-s3-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create the simulated S3 store", e);
    }
  }

  /** A bucket of the simulated S3 store, reached with these keys; its directory. */
  Path bucket(String name, String accessKeyId, String secretAccessKey) {
    s3Buckets.put(name, new String[] {accessKeyId, secretAccessKey});
    Path dir = s3Root.resolve(name);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create bucket " + name, e);
    }
  }

  /** What is wrong with an export location or import source, or null. */
  static String problem(JsonNode location, boolean importing) {
    if (location == null || !location.isObject()) {
      return importing
          ? "each import source must be an object with a type"
          : "export_location is required";
    }
    String type = SimulatorApi.text(location, "type");
    return switch (type == null ? "" : type) {
      case "mount_point" ->
          SimulatorApi.text(location, "path") == null ? "a mount_point needs a path" : null;
      case "sftp" -> {
        String url = SimulatorApi.text(location, "sftp_url");
        yield url == null || !url.startsWith("sftp://")
            ? "an sftp location needs sftp_url as sftp://user@host[:port]/path"
            : null;
      }
      case "url" -> {
        String url = SimulatorApi.text(location, "url");
        yield url == null || !url.startsWith("ftp://")
            ? "a url location needs url as ftp://[user:password@]host[:port]/path (the simulator"
                + " serves no other scheme)"
            : null;
      }
      case "s3" -> {
        for (String field : new String[] {"bucket_name", "access_key_id", "secret_access_key"}) {
          if (SimulatorApi.text(location, field) == null) {
            yield "an s3 location needs " + field;
          }
        }
        yield importing && SimulatorApi.text(location, "filename") == null
            ? "an s3 import source needs filename"
            : null;
      }
      default ->
          "type '"
              + type
              + "': the simulator exports and imports with mount_point, sftp, url (ftp) and s3"
              + " (the real API also takes gs and abs)";
    };
  }

  /** Writes {@code file} as {@code name} into the export location. */
  void put(Map<String, Object> location, Path file, String name) throws IOException {
    switch ((String) location.get("type")) {
      case "mount_point" -> {
        Path dir = Path.of((String) location.get("path"));
        if (!Files.isDirectory(dir)) {
          throw new IOException("wrong-file-path: " + dir + " is not a directory");
        }
        Files.copy(file, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
      case "sftp" -> {
        URI url = URI.create((String) location.get("sftp_url"));
        String dir = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
        try (var ssh = sftp(url, (String) location.get("key"))) {
          ssh.upload(file, (dir.endsWith("/") ? dir : dir + "/") + name);
        }
      }
      case "url" -> {
        String url = (String) location.get("url");
        try (OutputStream out = ftp(url.endsWith("/") ? url + name : url + "/" + name, true)) {
          Files.copy(file, out);
        }
      }
      case "s3" -> Files.copy(file, s3Object(location, name), StandardCopyOption.REPLACE_EXISTING);
      default -> throw new IOException("no such location type " + location.get("type"));
    }
  }

  /**
   * The import source as a local file: the mount point's own file, or a download into {@code into}.
   */
  Path fetch(Map<String, Object> source, Path into) throws IOException {
    switch ((String) source.get("type")) {
      case "mount_point" -> {
        Path local = Path.of((String) source.get("path"));
        if (!Files.isRegularFile(local)) {
          throw new FileNotFoundException(local.toString());
        }
        return local;
      }
      case "sftp" -> {
        URI url = URI.create((String) source.get("sftp_url"));
        try (var ssh = sftp(url, (String) source.get("key"))) {
          ssh.download(url.getPath(), into);
        }
      }
      case "url" -> {
        try (InputStream in = ftp((String) source.get("url"), false)) {
          Files.copy(in, into, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      case "s3" -> {
        Path object = s3Object(source, (String) source.get("filename"));
        if (!Files.isRegularFile(object)) {
          throw new FileNotFoundException("no object " + object.getFileName());
        }
        Files.copy(object, into, StandardCopyOption.REPLACE_EXISTING);
      }
      default -> throw new IOException("no such location type " + source.get("type"));
    }
    return into;
  }

  @SuppressWarnings("unchecked")
  private static <T extends java.io.Closeable> T ftp(String url, boolean upload)
      throws IOException {
    URLConnection connection = URI.create(url + ";type=i").toURL().openConnection();
    connection.setConnectTimeout(10_000);
    connection.setReadTimeout(30_000);
    try {
      if (upload) {
        connection.setDoOutput(true);
        return (T) connection.getOutputStream();
      }
      return (T) connection.getInputStream();
    } catch (FileNotFoundException e) {
      throw new IOException("wrong-file-path: the FTP server has no such path", e);
    } catch (IOException e) {
      String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (text.contains("login") || text.contains("530") || text.contains("password")) {
        throw new IOException("no-permission: the FTP server refused the login", e);
      }
      throw e;
    }
  }

  private Path s3Object(Map<String, Object> location, String name) throws IOException {
    String bucket = (String) location.get("bucket_name");
    String[] keys = s3Buckets.get(bucket);
    if (keys == null) {
      throw new IOException("wrong-file-path: no bucket " + bucket);
    }
    if (!keys[0].equals(location.get("access_key_id"))
        || !keys[1].equals(location.get("secret_access_key"))) {
      throw new IOException("no-permission: the keys are refused by bucket " + bucket);
    }
    String subdir = (String) location.getOrDefault("subdir", "");
    Path dir = s3Root.resolve(bucket).resolve(subdir == null ? "" : subdir).normalize();
    if (!dir.startsWith(s3Root.resolve(bucket))) {
      throw new IOException("wrong-file-path: subdir leaves the bucket");
    }
    Files.createDirectories(dir);
    return dir.resolve(name);
  }

  private SshSession sftp(URI url, String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalStateException(
          "no key: the simulated cluster has no autogenerated SSH key to fall back on");
    }
    String user = url.getUserInfo() == null ? "root" : url.getUserInfo().split(":", 2)[0];
    return SshSession.connect(
        url.getHost(), url.getPort() < 0 ? 22 : url.getPort(), user, key, api.sftpKnownHosts());
  }

  void close() {
    RdbFiles.deleteTree(s3Root);
  }
}
