package dev.flowline.uiconfig.client;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.CatalogKind;
import dev.flowline.definitions.VersionLifecycle;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;

/** catalog-service's lists as catalog data sources read them, with the caller's own token (see {@link ServiceApi}). */
@ApplicationScoped
public class CatalogClient {

    @ConfigProperty(name = "flowline.ui.catalog-url")
    String catalogUrl;

    @Inject
    ObjectMapper json;

    private ServiceApi api;

    @PostConstruct
    void init() {
        api = new ServiceApi("catalog-service", catalogUrl, json);
    }

    /**
     * {@code GET /api/<collection>?newest=true}: one page of names containing {@code q}, each with its newest
     * version in {@code status}; catalog-service's {@code {items, page, size, total}}.
     */
    public Uni<JsonNode> newestByName(CatalogKind kind, VersionLifecycle.Status status, String q, int page, int size,
            String bearer) {
        String query = "?newest=true&status=" + status.word() + "&page=" + page + "&size=" + size + (q == null
                ? ""
                : "&q=" + ServiceApi.encode(q));
        return api.get("/api/" + kind.collection() + query, bearer).map(answer -> {
            if (answer == null) {
                throw new ProblemException(ProblemType.UNAVAILABLE, "catalog-service has no list of " + kind
                        .collection());
            }
            return answer;
        });
    }
}
