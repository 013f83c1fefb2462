package dev.flowline.uiconfig;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.flowline.embedded.HeadlessChromium;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.Tokens;

/**
 * The reference renderer in a real browser (headless Chromium driven by Selenium; {@code ./mvnw verify -pl
 * ui-config-service -Pbrowser}): the condition language's shared corpus holds in JavaScript as in Java; the demo's
 * MISSING_XERO_NAME task renders with its error data (a script in it shown as text); a rule hides and shows a field;
 * the server's validation messages appear beside their fields; a lookup searches its data source and pages; a valid
 * submit resolves the task. Screenshots of each
 * scenario land in {@code target/screenshots}.
 */
@QuarkusTest
class TaskScreenBrowserTest {

    static final Path SHOTS = Path.of("target/screenshots");
    static final Path CORPUS = Path.of("../libs/expression/src/test/resources/dev/flowline/expression/"
            + "condition-corpus.json");
    static final ObjectMapper JSON = new ObjectMapper();

    static ChromeDriver browser;

    @TestHTTPResource("/renderer/")
    URL renderer;

    @ConfigProperty(name = "flowline.ui.tasks-url")
    String tasksUrl;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theSharedConditionCorpusHoldsInTheBrowserAsInJava() throws Exception {
        browser.get(renderer + "index.html");
        Object failures = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const corpus = JSON.parse(arguments[0]);
                import('/renderer/conditions.js').then(m => {
                  const failures = [];
                  for (const c of corpus.cases) {
                    try {
                      const got = m.holds(c.condition, corpus.documents[c.document], true);
                      if (got !== c.matches) failures.push(c.name + ': ' + got);
                    } catch (e) { failures.push(c.name + ': threw ' + e.message); }
                  }
                  for (const c of corpus.invalid) {
                    try { m.parseCondition(c.condition); failures.push(c.name + ': accepted'); } catch (e) { }
                  }
                  done({failures, cases: corpus.cases.length + corpus.invalid.length});
                }).catch(e => done({failures: ['import failed: ' + e], cases: 0}));
                """, Files.readString(CORPUS));
        JsonNode result = JSON.valueToTree(failures);
        assertThat(result.path("failures")).isEmpty();
        assertThat(result.path("cases").asInt()).isEqualTo(JSON.readTree(CORPUS.toFile()).path("cases").size() + JSON
                .readTree(CORPUS.toFile()).path("invalid").size());
    }

    @Test
    void theDemoTaskRendersHidesAndShowsShowsServerMessagesBesideTheirFieldsAndResolves() throws Exception {
        ViewApiTest.knowTheType();
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String name = "xero-" + UUID.randomUUID().toString().substring(0, 8);
        String view = ViewApiTest.VIEW.replace("\"initial\": {\"rental\": \"$.task.errorData.rental_name\"},", "");
        given().auth().oauth2(editor).contentType("application/json").body(view).put("/api/views/" + name
                + "/versions/1").then().statusCode(201);
        given().auth().oauth2(editor).post("/api/views/" + name + "/versions/1/publish").then().statusCode(200);
        String id = UUID.randomUUID().toString();
        // Untrusted error data: the renderer must show it as text.
        TaskServiceStandIn.TASKS.put(id, ViewApiTest.task(id, Instant.now().plusSeconds(5)).replace(
                "\"rental_name\": \"Old Mill Cottage\"",
                "\"rental_name\": \"<img src=x onerror=alert(1)>Old Mill Cottage\""));
        String token = Tokens.forUser("olga", Roles.OPERATOR);
        browser.get(renderer + "?task=" + id + "&tasks=" + tasksUrl + "#token=" + token);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        WebElement rental = wait.until(d -> d.findElements(By.cssSelector("flowline-task-view .fl-field .fl-value"))
                .stream().findFirst().orElse(null));
        assertThat(rental.getText()).isEqualTo("<img src=x onerror=alert(1)>Old Mill Cottage");
        assertThat(browser.findElements(By.cssSelector("flowline-task-view img"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("label[for]")).getText()).isNotBlank();
        shot("1-rendered");

        WebElement note = browser.findElement(By.cssSelector("[data-bind='/note']"));
        assertThat(note.isDisplayed()).isFalse();
        input("/archived").click();
        assertThat(note.isDisplayed()).isTrue();
        assertThat(input("/note").getAttribute("aria-required")).isEqualTo("true");
        shot("2-rule-shows-the-note");

        browser.findElement(By.cssSelector("button[data-action='retry']")).click();
        wait.until(d -> !message("/xero_name").isBlank());
        assertThat(message("/xero_name")).contains("required");
        assertThat(message("/note")).contains("required");
        assertThat(input("/xero_name").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(TaskServiceStandIn.RESOLVED).doesNotContainKey(id);
        shot("3-server-messages-beside-their-fields");

        input("/xero_name").sendKeys("OLD-MILL");
        input("/note").sendKeys("archived in 2025");
        browser.findElement(By.cssSelector("button[data-action='retry']")).click();
        wait.until(d -> TaskServiceStandIn.RESOLVED.containsKey(id));
        JsonNode resolved = JSON.readTree(TaskServiceStandIn.RESOLVED.get(id));
        assertThat(resolved.path("action").asText()).isEqualTo("retry");
        assertThat(resolved.at("/data/xero_name").asText()).isEqualTo("OLD-MILL");
        assertThat(resolved.at("/data/note").asText()).isEqualTo("archived in 2025");
        wait.until(d -> d.findElement(By.cssSelector("flowline-task-view")).getText().contains("Resolved with retry"));
        shot("4-resolved");
    }

    @Test
    void aLookupSearchesItsDataSourceAndPagesAndThePickedItemIsSubmitted() throws Exception {
        ViewApiTest.knowTheType();
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String source = "rentals-" + UUID.randomUUID().toString().substring(0, 6);
        StringBuilder items = new StringBuilder();
        for (int i = 1; i <= 25; i++) {
            items.append(i == 1 ? "" : ", ").append(String.format(java.util.Locale.ROOT,
                    "{\"value\": \"r-%02d\", \"label\": \"Rental %02d\"}", i, i));
        }
        given().auth().oauth2(editor).contentType("application/json").body("{\"kind\": \"static\", \"items\": ["
                + items + "]}").put("/api/data-sources/" + source).then().statusCode(200);
        String name = "lookup-" + UUID.randomUUID().toString().substring(0, 8);
        String view = ViewApiTest.VIEW.replace("\"initial\": {\"rental\": \"$.task.errorData.rental_name\"},",
                "\"initial\": {\"rental\": \"r-03\"},")
                .replace("\"note\": {\"type\": \"string\"}",
                        "\"note\": {\"type\": \"string\"}, \"rental\": {\"type\": \"string\"}")
                .replace("{\"type\": \"checkbox\", \"label\": \"Archived\", \"bind\": \"/archived\"},",
                        "{\"type\": \"checkbox\", \"label\": \"Archived\", \"bind\": \"/archived\"}, "
                                + "{\"type\": \"lookup\", \"label\": \"Other rental\", \"bind\": \"/rental\", "
                                + "\"pageSize\": 10, \"dataSource\": {\"name\": \"" + source + "\"}},");
        String id = openWithPublishedView(editor, name, view);
        // The list is redrawn as answers come: an element read mid-redraw is simply read again.
        WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(
                StaleElementReferenceException.class);
        WebElement search = wait.until(d -> d.findElements(By.cssSelector("input[role='combobox']")).stream()
                .findFirst().orElse(null));
        // The screen brought the lookup's first page and the label of its bound value: shown without a query.
        assertThat(browser.findElement(By.cssSelector(".fl-chosen")).getText()).isEqualTo("Rental 03");
        search.click();
        wait.until(d -> d.findElements(By.cssSelector("[role='option']")).size() == 10);
        assertThat(browser.findElements(By.cssSelector("[role='option']")).get(0).getText()).isEqualTo("Rental 01");
        search.sendKeys("Rental");
        wait.until(d -> d.findElements(By.cssSelector("[role='option']")).size() == 10);
        assertThat(search.getAttribute("aria-expanded")).isEqualTo("true");
        WebElement more = browser.findElement(By.cssSelector(".fl-more"));
        assertThat(more.isDisplayed()).isTrue();
        more.click();
        wait.until(d -> d.findElements(By.cssSelector("[role='option']")).size() == 20);
        shot("5-lookup-paged");
        search.clear();
        search.sendKeys("Rental 2");
        wait.until(d -> d.findElements(By.cssSelector("[role='option']")).stream().map(WebElement::getText).toList()
                .equals(List.of("Rental 20", "Rental 21", "Rental 22", "Rental 23", "Rental 24", "Rental 25")));
        assertThat(browser.findElement(By.cssSelector(".fl-more")).isDisplayed()).isFalse();
        browser.findElements(By.cssSelector("[role='option']")).get(2).click();
        assertThat(browser.findElement(By.cssSelector(".fl-chosen")).getText()).isEqualTo("Rental 22");
        input("/xero_name").sendKeys("OLD-MILL");
        browser.findElement(By.cssSelector("button[data-action='retry']")).click();
        wait.until(d -> TaskServiceStandIn.RESOLVED.containsKey(id));
        assertThat(JSON.readTree(TaskServiceStandIn.RESOLVED.get(id)).at("/data/rental").asText()).isEqualTo("r-22");
        shot("6-lookup-picked-and-resolved");
    }

    @Test
    void aTableFedByADataSourcePagesAndItsChosenRowIsKeptAcrossPagesAndSubmitted() throws Exception {
        ViewApiTest.knowTheType();
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String source = "rental-rows-" + UUID.randomUUID().toString().substring(0, 6);
        StringBuilder items = new StringBuilder();
        for (int i = 1; i <= 25; i++) {
            items.append(i == 1 ? "" : ", ").append(String.format(java.util.Locale.ROOT,
                    "{\"value\": \"r-%02d\", \"label\": \"Rental %02d\", \"city\": \"City %d\"}", i, i, i));
        }
        given().auth().oauth2(editor).contentType("application/json").body("{\"kind\": \"static\", \"items\": ["
                + items + "]}").put("/api/data-sources/" + source).then().statusCode(200);
        String name = "table-" + UUID.randomUUID().toString().substring(0, 8);
        String view = ViewApiTest.VIEW.replace("\"note\": {\"type\": \"string\"}",
                "\"note\": {\"type\": \"string\"}, \"chosen\": {\"type\": \"object\"}")
                .replace("{\"type\": \"checkbox\", \"label\": \"Archived\", \"bind\": \"/archived\"},",
                        "{\"type\": \"checkbox\", \"label\": \"Archived\", \"bind\": \"/archived\"}, "
                                + "{\"type\": \"table\", \"label\": \"Rentals\", \"bind\": \"/chosen\", "
                                + "\"selection\": \"single\", \"pageSize\": 10, \"searchable\": true, "
                                + "\"dataSource\": {\"name\": \""
                                + source + "\"}, \"columns\": [{\"field\": \"label\", \"label\": \"Rental\", "
                                + "\"sortable\": true}, "
                                + "{\"field\": \"city\", \"label\": \"City\"}]},");
        String id = openWithPublishedView(editor, name, view);
        WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(
                StaleElementReferenceException.class);
        wait.until(d -> firstCells().equals(List.of("Rental 01", "Rental 02", "Rental 03", "Rental 04",
                "Rental 05", "Rental 06", "Rental 07", "Rental 08", "Rental 09", "Rental 10")));
        assertThat(browser.findElement(By.cssSelector(".fl-table-paged tbody tr td:nth-child(3)")).getText())
                .isEqualTo("City 1");
        assertThat(browser.findElement(By.cssSelector(".fl-table-paged caption")).getText()).isEqualTo("Rentals");
        assertThat(browser.findElement(By.cssSelector(".fl-previous")).isEnabled()).isFalse();
        browser.findElement(By.cssSelector(".fl-next")).click();
        wait.until(d -> !firstCells().isEmpty() && firstCells().get(0).equals("Rental 11"));
        browser.findElement(By.cssSelector(".fl-next")).click();
        wait.until(d -> firstCells().equals(List.of("Rental 21", "Rental 22", "Rental 23", "Rental 24",
                "Rental 25")));
        assertThat(browser.findElement(By.cssSelector(".fl-next")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.cssSelector(".fl-page")).getText()).isEqualTo("Page 3");
        rowBoxes().get(2).click();
        browser.findElement(By.cssSelector(".fl-previous")).click();
        wait.until(d -> !firstCells().isEmpty() && firstCells().get(0).equals("Rental 11"));
        assertThat(rowBoxes()).noneMatch(WebElement::isSelected);
        browser.findElement(By.cssSelector(".fl-next")).click();
        wait.until(d -> !firstCells().isEmpty() && firstCells().get(0).equals("Rental 21"));
        assertThat(rowBoxes().get(2).isSelected()).isTrue();
        // Sorting asks the source again from the first page; the chosen row stays chosen.
        WebElement byRental = browser.findElement(By.cssSelector(".fl-table-paged .fl-sort[data-field='label']"));
        byRental.click();
        wait.until(d -> !firstCells().isEmpty() && firstCells().get(0).equals("Rental 01"));
        assertThat(browser.findElement(By.cssSelector(".fl-table-paged th[aria-sort]")).getAttribute("aria-sort"))
                .isEqualTo("ascending");
        browser.findElement(By.cssSelector(".fl-table-paged .fl-sort[data-field='label']")).click();
        wait.until(d -> firstCells().equals(List.of("Rental 25", "Rental 24", "Rental 23", "Rental 22",
                "Rental 21", "Rental 20", "Rental 19", "Rental 18", "Rental 17", "Rental 16")));
        assertThat(browser.findElement(By.cssSelector(".fl-table-paged th[aria-sort]")).getAttribute("aria-sort"))
                .isEqualTo("descending");
        assertThat(browser.findElement(By.cssSelector(".fl-page")).getText()).isEqualTo("Page 1");
        assertThat(rowBoxes().get(2).isSelected()).isTrue();
        // A search asks the source again from the first page, in the chosen order; the chosen row stays chosen.
        WebElement search = browser.findElement(By.cssSelector(".fl-table-paged input.fl-table-search"));
        assertThat(search.getAttribute("aria-label")).isEqualTo("Search Rentals");
        search.sendKeys("rental 2");
        wait.until(d -> firstCells().equals(List.of("Rental 25", "Rental 24", "Rental 23", "Rental 22",
                "Rental 21", "Rental 20")));
        assertThat(browser.findElement(By.cssSelector(".fl-next")).isEnabled()).isFalse();
        assertThat(rowBoxes().get(2).isSelected()).isTrue();
        shot("7-table-paged-sorted-searched-row-chosen");
        input("/xero_name").sendKeys("OLD-MILL");
        browser.findElement(By.cssSelector("button[data-action='retry']")).click();
        wait.until(d -> TaskServiceStandIn.RESOLVED.containsKey(id));
        JsonNode chosen = JSON.readTree(TaskServiceStandIn.RESOLVED.get(id)).at("/data/chosen");
        assertThat(chosen.path("value").asText()).isEqualTo("r-23");
        assertThat(chosen.path("city").asText()).isEqualTo("City 23");
    }

    @Test
    void aTableDrawnFromAPathSortsItsRowsByASortableColumnInTheBrowser() throws Exception {
        ViewApiTest.knowTheType();
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String name = "lines-" + UUID.randomUUID().toString().substring(0, 8);
        String view = ViewApiTest.VIEW.replace(
                "{\"type\": \"checkbox\", \"label\": \"Archived\", \"bind\": \"/archived\"},",
                "{\"type\": \"checkbox\", \"label\": \"Archived\", \"bind\": \"/archived\"}, "
                        + "{\"type\": \"table\", \"label\": \"Lines\", \"path\": \"$.task.errorData.lines\", "
                        + "\"columns\": [{\"field\": \"ref\", \"label\": \"Ref\"}, "
                        + "{\"field\": \"amount\", \"label\": \"Amount\", \"sortable\": true}]},");
        openWithPublishedView(editor, name, view, id -> ViewApiTest.task(id, Instant.now().plusSeconds(5)).replace(
                "\"rental_name\": \"Old Mill Cottage\"", "\"rental_name\": \"Old Mill Cottage\", \"lines\": [{\"ref\": "
                        + "\"L-1\", \"amount\": 12}, {\"ref\": \"L-2\", \"amount\": 3}, {\"ref\": \"L-3\"}, "
                        + "{\"ref\": \"L-4\", \"amount\": 100}]"));
        WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(
                StaleElementReferenceException.class);
        wait.until(d -> pathTableRefs().equals(List.of("L-1", "L-2", "L-3", "L-4")));
        // Numbers by value (3 before 12 before 100), a row without the member first, as a static source sorts.
        browser.findElement(By.cssSelector("table.fl-table .fl-sort[data-field='amount']")).click();
        wait.until(d -> pathTableRefs().equals(List.of("L-3", "L-2", "L-1", "L-4")));
        assertThat(browser.findElement(By.cssSelector("table.fl-table th[aria-sort]")).getAttribute("aria-sort"))
                .isEqualTo("ascending");
        browser.findElement(By.cssSelector("table.fl-table .fl-sort[data-field='amount']")).click();
        wait.until(d -> pathTableRefs().equals(List.of("L-4", "L-1", "L-2", "L-3")));
        assertThat(browser.findElement(By.cssSelector("table.fl-table th[aria-sort]")).getAttribute("aria-sort"))
                .isEqualTo("descending");
        shot("8-path-table-sorted");
    }

    private static List<String> pathTableRefs() {
        return browser.findElements(By.cssSelector("table.fl-table tbody tr td:nth-child(1)")).stream().map(
                WebElement::getText).toList();
    }

    /** The data-source table's rows, by the text of their first column after the selection. */
    private static List<String> firstCells() {
        return browser.findElements(By.cssSelector(".fl-table-paged tbody tr td:nth-child(2)")).stream().map(
                WebElement::getText).toList();
    }

    private static List<WebElement> rowBoxes() {
        return browser.findElements(By.cssSelector(".fl-table-paged tbody tr input"));
    }

    /** Publishes {@code view} as {@code name} version 1, opens a new demo task, and draws its screen for an operator. */
    private String openWithPublishedView(String editor, String name, String view) {
        return openWithPublishedView(editor, name, view, id -> ViewApiTest.task(id, Instant.now().plusSeconds(5)));
    }

    /** The same with the task {@code taskOf} gives for the new task's id. */
    private String openWithPublishedView(String editor, String name, String view,
            java.util.function.Function<String, String> taskOf) {
        given().auth().oauth2(editor).contentType("application/json").body(view).put("/api/views/" + name
                + "/versions/1").then().statusCode(201);
        given().auth().oauth2(editor).post("/api/views/" + name + "/versions/1/publish").then().statusCode(200);
        String id = UUID.randomUUID().toString();
        TaskServiceStandIn.TASKS.put(id, taskOf.apply(id));
        browser.get(renderer + "?task=" + id + "&tasks=" + tasksUrl + "#token=" + Tokens.forUser("olga",
                Roles.OPERATOR));
        return id;
    }

    private static WebElement input(String bind) {
        return browser.findElement(By.cssSelector("[data-bind='" + bind + "'] input, [data-bind='" + bind
                + "'] textarea, [data-bind='" + bind + "'] select"));
    }

    private static String message(String bind) {
        List<WebElement> found = browser.findElements(By.cssSelector("[data-bind='" + bind + "'] .fl-message"));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static void shot(String name) throws Exception {
        HeadlessChromium.screenshot(browser, SHOTS, name);
    }
}
