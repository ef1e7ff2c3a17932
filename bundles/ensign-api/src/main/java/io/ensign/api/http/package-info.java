/**
 * The HTTP SPI: how a bundle adds routes to Ensign's API. A bundle registers an {@link io.ensign.api.http.ApiResource}
 * service (one {@code @Component}); the server routes to it under {@code /api/} or {@code /ofrep/} (and at
 * {@code /metrics}), authenticates the caller and checks the {@link io.ensign.api.http.Permission} a route demands
 * before its {@link io.ensign.api.http.Endpoint} runs, maps every failure to the documented error body, and adds
 * the resource's OpenAPI fragment to {@code /api/v1/openapi.json} for as long as the service is there.
 */
@Version("1.2.0")
@Export
package io.ensign.api.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
