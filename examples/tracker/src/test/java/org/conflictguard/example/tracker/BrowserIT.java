package org.conflictguard.example.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's view, in headless Chromium: start the bulk operation, see the marks appear and the
 * buttons disable, try to save a claimed task and see the refusal, see the marks clear. The page
 * mid-operation is saved as {@code target/screenshots/tracker-mid-operation.png}.
 */
class BrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void aPersonSeesTheClaimsComeAndGo() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "The browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why + "; .ci/run installs them");
            }
            // Outside CI a machine without Debian's Chromium skips this test, loudly; CI=true fails above instead
            // (.ci/run installs both packages, so in CI the browser test always runs).
            System.err.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        try (TrackerServer server = TrackerServer.start(TrackerServer.Kind.PAYARA, TrackerServer.freePort(18080),
                Map.of("TRACKER_STEP_MS", "700"))) {
            WebDriver browser = chromium();
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(server.base.toString());
                By editTask = By.cssSelector("tr.task[data-task='10203'] button.edit");
                wait.until(ExpectedConditions.elementToBeClickable(editTask));
                click(wait, editTask);
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("editor")));
                browser.findElement(By.id("edit-title")).clear();
                browser.findElement(By.id("edit-title")).sendKeys("Pour the foundations again");

                click(wait, By.cssSelector("button.reschedule[data-project='1']"));
                wait.until(d -> d.findElements(By.cssSelector("tr.task.claimed")).size()
                        == Setup.MILESTONES * Setup.TASKS);
                wait.until(ExpectedConditions.attributeToBe(editTask, "disabled", "true"));
                boolean deleteEnabled = read(wait, By.cssSelector("tr.task[data-task='10203'] button.delete"),
                        WebElement::isEnabled);
                assertThat(deleteEnabled).isFalse();
                String editTitle = read(wait, By.cssSelector("tr.task[data-task='10203'] button.edit"),
                        e -> e.getAttribute("title"));
                assertThat(editTitle).contains("reschedule-project", "Wait until it finishes");
                String mark = read(wait, By.cssSelector(".project[data-project='1'] .mark"), WebElement::getText);
                assertThat(mark).contains("claimed by reschedule-project");
                // Another project's rows stay free.
                assertThat(browser.findElements(By.cssSelector(".project[data-project='2'] tr.task.claimed")))
                        .isEmpty();
                wait.until(d -> read(wait, By.cssSelector("li.op"), WebElement::getText)
                        .matches("(?s).*RUNNING.*[1-9]+/12.*"));
                Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, shots.resolve("tracker-mid-operation.png"), StandardCopyOption.REPLACE_EXISTING);

                click(wait, By.id("edit-save"));
                By refused = By.cssSelector("#edit-result .refused");
                wait.until(ExpectedConditions.visibilityOfElementLocated(refused));
                String refusedText = read(wait, refused, WebElement::getText);
                assertThat(refusedText).contains("is held by reschedule-project", "Try again when");
                Path refusal = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(refusal, shots.resolve("tracker-refused-save.png"), StandardCopyOption.REPLACE_EXISTING);

                new WebDriverWait(browser, Duration.ofSeconds(60))
                        .until(d -> d.findElements(By.cssSelector("tr.task.claimed, .head.claimed")).isEmpty());
                wait.until(ExpectedConditions.elementToBeClickable(editTask));
                String operation = read(wait, By.cssSelector("li.op"), WebElement::getText);
                assertThat(operation).contains("DONE", "12/12");
                click(wait, By.id("edit-save"));
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#edit-result .saved")));
                wait.until(ExpectedConditions.textToBe(By.cssSelector("tr.task[data-task='10203'] td"),
                        "Pour the foundations again"));
                Path after = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(after, shots.resolve("tracker-after.png"), StandardCopyOption.REPLACE_EXISTING);
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * Clicks the element the locator finds now: the page re-renders its lists as claims come and go, so an
     * element found a moment ago may be gone; a click on a stale element never happened, and is tried again
     * on the element that replaced it.
     */
    private static void click(WebDriverWait wait, By locator) {
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(locator).click();
            return true;
        });
    }

    /**
     * Reads from the element the locator finds now, finding it again when a re-render replaced it,
     * until the read gives a value (false included).
     */
    private static <T> T read(WebDriverWait wait, By locator, Function<WebElement, T> what) {
        return wait.ignoring(StaleElementReferenceException.class).until(d -> {
            T value = what.apply(d.findElement(locator));
            return value == null ? null : Optional.of(value);
        }).get();
    }

    private static WebDriver chromium() throws java.io.IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1100",
                "--user-data-dir=" + Files.createTempDirectory("tracker-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
