package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks the image of every planned firmware update against the SHA-256 the device catalog gives
 * it, before any update starts: the image is downloaded from its URI (as the BMC will fetch it) and
 * hashed. A mismatch is a {@link ValidationException} naming the component, the URI and both
 * hashes, so nothing is flashed; a download that fails is a CONNECTION or API error (retryable for
 * connection errors and 5xx). An image without a {@code sha256} is reported as not checked.
 * Read-only (it runs in a dry run too).
 */
public final class VerifyFirmwareImagesStep extends HardwareStep {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(30);

  /**
   * The step, named {@code verify-firmware-images}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public VerifyFirmwareImagesStep(HardwareClients clients, DeviceCatalog catalog) {
    super("verify-firmware-images", clients, catalog);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void run(StepContext ctx) {
    FirmwarePlan plan = ctx.require(ProvisioningKeys.FIRMWARE_PLAN);
    var mismatches = new ArrayList<String>();
    var unchecked = new ArrayList<String>();
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    for (FirmwarePlan.Update update : plan.updates()) {
      FirmwareTarget target = update.target();
      if (target.sha256() == null) {
        unchecked.add(target.component());
        continue;
      }
      ctx.checkCancelled();
      ctx.subTask("Checking the SHA-256 of " + target.component() + " " + target.imageUri());
      String actual = sha256(http, target);
      if (!actual.equals(target.sha256())) {
        mismatches.add(
            "firmware image of "
                + target.component()
                + " at "
                + target.imageUri()
                + " has SHA-256 "
                + actual
                + ", the device catalog expects "
                + target.sha256());
      }
    }
    if (!mismatches.isEmpty()) {
      throw new ValidationException(mismatches);
    }
    ctx.subTask(
        unchecked.isEmpty()
            ? "Every firmware image matches its SHA-256"
            : "Images without a sha256 in the catalog, not checked: " + unchecked);
  }

  private static String sha256(HttpClient http, FirmwareTarget target) {
    return download(http, target, null);
  }

  /** Downloads {@code target}'s image (to {@code file} when not null); answers its SHA-256. */
  static String download(FirmwareTarget target, java.nio.file.Path file) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    return download(http, target, file);
  }

  private static String download(HttpClient http, FirmwareTarget target, java.nio.file.Path file) {
    URI uri = URI.create(target.imageUri());
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(DOWNLOAD_TIMEOUT).GET().build();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new WorkflowException(
              ErrorKind.API,
              "firmware image of "
                  + target.component()
                  + " at "
                  + uri
                  + ": HTTP "
                  + response.statusCode(),
              null,
              response.statusCode() >= 500,
              java.util.Map.of("status", response.statusCode()),
              List.of("check the image URI in the device catalog"));
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        try (var out =
            file == null
                ? java.io.OutputStream.nullOutputStream()
                : java.nio.file.Files.newOutputStream(file)) {
          for (int n; (n = body.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
          }
        }
        return HexFormat.of().formatHex(digest.digest());
      }
    } catch (IOException e) {
      throw new WorkflowException(
          ErrorKind.CONNECTION,
          "cannot download the firmware image of "
              + target.component()
              + " from "
              + uri
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkflowException(ErrorKind.CANCELLED, "interrupted downloading " + uri, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "check the SHA-256 of each planned firmware image before any update";
  }
}
