package io.tributary.admin;

import io.tributary.admin.ConfigStore.Organization;
import io.tributary.admin.ConfigStore.SourceState;
import io.tributary.admin.ConfigStore.StoredSource;
import io.tributary.definition.DefinitionProblem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API. Every call names its token's organization or is made with the bootstrap token; another
 * organization's resources answer 404 exactly as absent ones do (docs/decisions/0020). Store calls block
 * on Kafka acks, so they run on the bounded-elastic scheduler, never on a Netty event loop.
 */
@RestController
class AdminController {

    private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);
    /**
     * Groups of letters and digits joined by single dashes: the id upper-cased (dashes as '_') starts the names of the
     * organization's environment secrets, and "a--b" or "a-" could be read as another organization's prefix (0031).
     */
    private static final Pattern ID = Pattern.compile("(?=.{1,63}$)[a-z0-9]+(-[a-z0-9]+)*");

    private final ConfigStore store;
    private final AdminProperties properties;
    private final String bootstrapHash;
    private final DefinitionChecks checks;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Clock clock = Clock.systemUTC();
    private final SourceStatuses statuses;

    AdminController(ConfigStore store, AdminProperties properties, SourceStatuses statuses) {
        this.store = store;
        this.properties = properties;
        this.statuses = statuses;
        this.bootstrapHash = Tokens.hash(properties.bootstrapToken());
        this.checks = new DefinitionChecks(store, properties);
    }

    record CreateOrganization(@Nullable String id) {
    }

    record CreatedOrganization(String id, String token, Instant createdAt) {
        @Override
        public String toString() {
            return "CreatedOrganization[id=" + id + "]";
        }
    }

    record OrganizationView(String id, Instant createdAt) {
    }

    record RotatedToken(String id, String token, @Nullable Instant previousValidUntil) {
        @Override
        public String toString() {
            return "RotatedToken[id=" + id + "]";
        }
    }

    record Validation(boolean valid, List<DefinitionProblem> problems) {
    }

    @PostMapping("/organizations")
    Mono<ResponseEntity<CreatedOrganization>> createOrganization(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestBody(required = false) @Nullable String body) {
        return blocking(() -> {
            requireAdmin(authorization);
            String text = limited(body);
            String id;
            try {
                id = json.readValue(text, CreateOrganization.class).id();
            } catch (RuntimeException e) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-body", "The body must be JSON: {\"id\": \"<organization>\"}");
            }
            if (id == null || !ID.matcher(id).matches()) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-organization-id",
                        "id must be 1 to 63 lower-case letters and digits, in groups joined by single '-' (e.g. acme-records)");
            }
            if (store.organization(id).isPresent()) {
                throw new ApiProblem(HttpStatus.CONFLICT, "organization-exists", "Organization " + id + " already exists");
            }
            if (store.deleted(id)) {
                // its source ids and entities stay its own (its rows remain): a new organization of that id would get them
                throw new ApiProblem(HttpStatus.CONFLICT, "organization-deleted", "Organization " + id + " was deleted; "
                        + "its id, source ids and entity names stay reserved (its rows remain in the main database under "
                        + "them): choose another id");
            }
            String token = Tokens.generate();
            Organization organization = new Organization(id, Tokens.hash(token), clock.instant());
            store.putOrganization(organization);
            LOG.info("Organization {} created", id);
            return ResponseEntity.status(HttpStatus.CREATED).body(new CreatedOrganization(id, token, organization.createdAt()));
        });
    }

    record OrganizationList(List<OrganizationView> organizations) {
    }

    /** The operator's list of organizations: ids and creation times, never a token or its hash; deleted ones not listed. */
    @GetMapping("/organizations")
    Mono<OrganizationList> organizations(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        return blocking(() -> {
            requireAdmin(authorization);
            return new OrganizationList(store.organizations().stream()
                    .map(organization -> new OrganizationView(organization.id(), organization.createdAt()))
                    .sorted(java.util.Comparator.comparing(OrganizationView::id)).toList());
        });
    }

    @GetMapping("/organizations/{org}")
    Mono<OrganizationView> organization(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @PathVariable String org) {
        return blocking(() -> {
            Organization organization = authorize(authorization, org);
            return new OrganizationView(organization.id(), organization.createdAt());
        });
    }

    /**
     * A new API token for {@code org} (its own token or the bootstrap token), shown once. The token used until now
     * stays valid for {@code tributary.admin.token-grace} so clients can switch without an outage;
     * {@code ?revoke-previous=true} (a leaked token) ends it at once. A token rotated before is then no longer valid.
     */
    @PostMapping("/organizations/{org}/token")
    Mono<ResponseEntity<RotatedToken>> rotateToken(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @PathVariable String org,
            @org.springframework.web.bind.annotation.RequestParam(name = "revoke-previous", defaultValue = "false") boolean revokePrevious) {
        return blocking(() -> {
            Organization current = authorize(authorization, org);
            String token = Tokens.generate();
            Instant now = clock.instant();
            Instant until = revokePrevious || properties.tokenGrace().isZero() ? null : now.plus(properties.tokenGrace());
            store.rotateToken(current.id(), Tokens.hash(token), until);
            LOG.info("Organization {}: API token rotated; the previous one {}", org,
                    until == null ? "is revoked" : "stays valid until " + until);
            return ResponseEntity.status(HttpStatus.CREATED).body(new RotatedToken(org, token, until));
        });
    }

    @DeleteMapping("/organizations/{org}")
    Mono<ResponseEntity<Void>> deleteOrganization(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @PathVariable String org) {
        return blocking(() -> {
            requireAdmin(authorization);
            if (store.organization(org).isEmpty()) {
                throw ApiProblem.notFound("Organization " + org);
            }
            store.deleteOrganization(org, clock.instant());
            LOG.info("Organization {} deleted", org);
            return ResponseEntity.noContent().build();
        });
    }

    @PostMapping("/organizations/{org}/sources/validate")
    Mono<Validation> validate(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) @Nullable String contentType,
            @PathVariable String org, @RequestBody(required = false) @Nullable String body) {
        return blocking(() -> {
            authorize(authorization, org);
            String text = limited(body);
            List<DefinitionProblem> problems = checks.problemsBeforeStoring(org, text, contentType);
            return new Validation(problems.isEmpty(), problems);
        });
    }

    @PutMapping("/organizations/{org}/sources/{id}")
    Mono<ResponseEntity<StoredSource>> putSource(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) @Nullable String contentType,
            @PathVariable String org, @PathVariable String id, @RequestBody(required = false) @Nullable String body) {
        return blocking(() -> {
            authorize(authorization, org);
            String text = limited(body);
            DefinitionChecks.Checked checked = checks.check(org, id, text, contentType);
            JsonNode definition = checked.tree();
            if (definition == null || !checked.problems().isEmpty()) {
                throw new InvalidDefinition(checked.problems()); // no tree comes with a problem saying why
            }
            StoredSource previous = store.source(org, id).orElse(null);
            Instant now = clock.instant();
            SourceState state = previous == null
                    ? new SourceState(false, null, 1, now)
                    : new SourceState(previous.state().paused(), previous.state().resyncRequestedAt(), previous.state().version() + 1, now);
            StoredSource stored = new StoredSource(definition, state);
            store.putSource(org, id, stored).ifPresent(taken -> {
                throw conflict(org, id, taken);
            });
            LOG.info("Source {}/{} stored, version {}", org, id, state.version());
            return ResponseEntity.status(previous == null ? HttpStatus.CREATED : HttpStatus.OK).body(stored);
        });
    }

    @GetMapping("/organizations/{org}/sources/{id}")
    Mono<StoredSource> source(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @PathVariable String org, @PathVariable String id) {
        return blocking(() -> {
            authorize(authorization, org);
            return existing(org, id);
        });
    }

    /**
     * A source's live status: the poller's state and figures, the writer's refusals and dead letters
     * ({@link SourceStatuses.SourceLiveStatus}); only what they report for this organization is shown.
     */
    @GetMapping("/organizations/{org}/sources/{id}/status")
    Mono<SourceStatuses.SourceLiveStatus> status(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @PathVariable String org, @PathVariable String id) {
        return blocking(() -> {
            authorize(authorization, org);
            return statuses.of(org, id, existing(org, id));
        });
    }

    @GetMapping("/organizations/{org}/sources")
    Mono<Map<String, List<StoredSource>>> sources(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @PathVariable String org) {
        return blocking(() -> {
            authorize(authorization, org);
            return Map.of("sources", store.sources(org));
        });
    }

    @DeleteMapping("/organizations/{org}/sources/{id}")
    Mono<ResponseEntity<Void>> deleteSource(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @PathVariable String org, @PathVariable String id) {
        return blocking(() -> {
            authorize(authorization, org);
            existing(org, id);
            store.deleteSource(org, id);
            LOG.info("Source {}/{} deleted", org, id);
            return ResponseEntity.noContent().build();
        });
    }

    @PostMapping("/organizations/{org}/sources/{id}/pause")
    Mono<StoredSource> pause(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @PathVariable String org, @PathVariable String id) {
        return changeState(authorization, org, id, "paused",
                s -> new SourceState(true, s.resyncRequestedAt(), s.version() + 1, clock.instant()));
    }

    @PostMapping("/organizations/{org}/sources/{id}/resume")
    Mono<StoredSource> resume(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @PathVariable String org, @PathVariable String id) {
        return changeState(authorization, org, id, "resumed",
                s -> new SourceState(false, s.resyncRequestedAt(), s.version() + 1, clock.instant()));
    }

    @PostMapping("/organizations/{org}/sources/{id}/resync")
    Mono<StoredSource> resync(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @PathVariable String org, @PathVariable String id) {
        return changeState(authorization, org, id, "resync requested",
                s -> new SourceState(s.paused(), clock.instant(), s.version() + 1, clock.instant()));
    }

    private Mono<StoredSource> changeState(@Nullable String authorization, String org, String id, String what, UnaryOperator<SourceState> change) {
        return blocking(() -> {
            authorize(authorization, org);
            StoredSource current = existing(org, id);
            StoredSource changed = new StoredSource(current.definition(), change.apply(current.state()));
            store.putSource(org, id, changed).ifPresent(taken -> {
                throw conflict(org, id, taken); // a source stored before claims existed, clashing with another's
            });
            LOG.info("Source {}/{} {}, version {}", org, id, what, changed.state().version());
            return changed;
        });
    }

    /** 409 naming the taken id or entity and its JSON path, never the organization holding it (decision 0031). */
    private static ApiProblem conflict(String org, String id, Claims.Taken taken) {
        LOG.info("Source {}/{} refused: {} '{}' is held by another organization", org, id, taken.kind().label, taken.name());
        return taken.kind() == Claims.Kind.SOURCE_ID
                ? new ApiProblem(HttpStatus.CONFLICT, "source-id-taken", DefinitionChecks.taken(taken),
                        Map.of("path", taken.path(), "sourceId", taken.name()))
                : new ApiProblem(HttpStatus.CONFLICT, "entity-taken", DefinitionChecks.taken(taken),
                        Map.of("path", taken.path(), "entity", taken.name()));
    }

    private StoredSource existing(String org, String id) {
        return store.source(org, id).orElseThrow(() -> ApiProblem.notFound("Source " + org + "/" + id));
    }

    private String limited(@Nullable String body) {
        if (body == null || body.isBlank()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "missing-body", "A request body is required");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > properties.maxBodySize().toBytes()) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large",
                    "The body is larger than " + properties.maxBodySize().toBytes() + " bytes");
        }
        return body;
    }

    private boolean isAdmin(String token) {
        return Tokens.matches(token, bootstrapHash);
    }

    private void requireAdmin(@Nullable String authorization) {
        String token = token(authorization);
        if (!isAdmin(token)) {
            if (store.organizations().stream().anyMatch(o -> o.accepts(token, clock.instant()))) {
                throw ApiProblem.forbidden("Only the bootstrap (operator) token may do this");
            }
            throw ApiProblem.unauthorized();
        }
    }

    /** The organization {@code org} when the token is the bootstrap token or {@code org}'s own; 404 otherwise. */
    private Organization authorize(@Nullable String authorization, String org) {
        String token = token(authorization);
        boolean admin = isAdmin(token);
        Organization own = null;
        if (!admin) {
            for (Organization organization : store.organizations()) {
                if (organization.accepts(token, clock.instant())) {
                    own = organization;
                }
            }
            if (own == null) {
                throw ApiProblem.unauthorized();
            }
        }
        Organization target = store.organization(org).orElse(null);
        if (target == null || (!admin && !own.id().equals(org))) {
            throw ApiProblem.notFound("Organization " + org);
        }
        return target;
    }

    private static String token(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
            throw ApiProblem.unauthorized();
        }
        return authorization.substring(7).trim();
    }

    private static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }

    /** A definition refused by PUT: 422 with every problem. */
    static final class InvalidDefinition extends RuntimeException {
        final List<DefinitionProblem> problems;

        InvalidDefinition(List<DefinitionProblem> problems) {
            super("invalid definition", null, false, false);
            this.problems = problems;
        }
    }
}
