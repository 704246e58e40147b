/**
 * MAAS REST API 2.0 client: {@link dev.opsflow.hardware.maas.MaasClient} (OAuth 1.0a PLAINTEXT
 * through {@link dev.opsflow.hardware.maas.MaasOAuthSigner}), machine records and status codes
 * ({@link dev.opsflow.hardware.maas.MaasStatus}).
 */
package dev.opsflow.hardware.maas;
