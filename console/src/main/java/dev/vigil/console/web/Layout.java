package dev.vigil.console.web;

import java.util.List;
import java.util.stream.Collectors;

import dev.vigil.console.auth.ConsoleUser;
import dev.vigil.runtime.security.Role;

/** The frame of every page: head, navigation with who is signed in and their roles, the logout form, a flash message. */
public final class Layout {

    private record Link(String path, String label) {
    }

    private static final List<Link> NAVIGATION = List.of(new Link("/alerts", "Alerts"), new Link("/approvals", "Approvals"),
            new Link("/silences", "Silences"), new Link("/audit", "Audit"));

    private Layout() {
    }

    /** A whole page around {@code main}. */
    public static String page(Request request, String title, Html main) {
        Html page = new Html();
        page.open("html", "lang", "en").open("head").empty("meta", "charset", "utf-8")
                .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                .element("title", title + " · Vigil").empty("link", "rel", "stylesheet", "href", "/static/console.css").close("head");
        page.open("body");
        if (request.user().isPresent()) {
            page.append(navigation(request, request.user().get()));
        }
        page.open("main").element("h1", title);
        String flash = request.session().map(s -> s.takeFlash()).orElse(null);
        if (flash != null) {
            page.element("p", flash, "class", "flash", "role", "status");
        }
        page.append(main).close("main").close("body").close("html");
        return "<!DOCTYPE html>\n" + page;
    }

    /** A page saying why a request is refused (403), with a way back to {@code back}. */
    public static String forbidden(String why, String back) {
        Html html = new Html().open("html", "lang", "en").open("head").empty("meta", "charset", "utf-8").element("title", "Forbidden · Vigil")
                .empty("link", "rel", "stylesheet", "href", "/static/console.css").close("head").open("body").open("main")
                .element("h1", "Forbidden").element("p", why, "class", "error").open("p").element("a", "Back", "href", back)
                .close("p").close("main").close("body").close("html");
        return "<!DOCTYPE html>\n" + html;
    }

    /** The hidden CSRF field every POST form of a session carries. */
    public static Html csrfField(Request request) {
        return new Html().empty("input", "type", "hidden", "name", "csrf", "value", request.session().map(s -> s.csrfToken()).orElse(""));
    }

    private static Html navigation(Request request, ConsoleUser user) {
        Html nav = new Html().open("header").open("nav").element("span", "Vigil", "class", "brand");
        for (Link link : NAVIGATION) {
            nav.element("a", link.label(), "href", link.path(), "aria-current", request.path().startsWith(link.path()) ? "page" : null);
        }
        nav.close("nav").open("div", "class", "user");
        nav.element("span", user.name(), "id", "whoami");
        nav.element("span", user.principal().roles().stream().map(Role::id).sorted().collect(Collectors.joining(", ")), "class", "roles");
        nav.open("form", "id", "logout", "method", "post", "action", "/logout").append(csrfField(request))
                .element("button", "Log out", "type", "submit").close("form");
        return nav.close("div").close("header");
    }
}
