package dev.vigil.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void shouldEscapeTheFiveCharactersThatMatterInTextAndAttributes() {
        assertThat(Html.escape("<script>alert('x')</script> & \"q\"")).isEqualTo(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assertThat(Html.escape(null)).isEmpty();
    }

    @Test
    void shouldEscapeEveryTextAndAttributeValueItWrites() {
        String html = new Html().open("div", "data-host", "x\" onmouseover=\"alert(1)").element("p", "<img src=x onerror=alert(1)>", "class", "reason")
                .close("div").toString();

        assertThat(html).isEqualTo("<div data-host=\"x&quot; onmouseover=&quot;alert(1)\"><p class=\"reason\">"
                + "&lt;img src=x onerror=alert(1)&gt;</p></div>");
    }

    @Test
    void shouldLeaveOutNullAttributesAndWriteBareOnesBare() {
        assertThat(new Html().empty("input", "name", "a", "value", null, "required?", "").toString()).isEqualTo("<input name=\"a\" required>");
    }

    @Test
    void shouldRefuseATagOrAttributeNameThatIsNotACodeConstant() {
        assertThatThrownBy(() -> new Html().open("div onclick=x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Html().open("div", "on\"x", "1")).isInstanceOf(IllegalArgumentException.class);
    }
}
