// Review page behaviour: pick a fact to mark and scroll to its words; hover a highlight to see its facts
// and the rules behind each.
// Loaded inline under a hash-pinned Content-Security-Policy; it reads the page and never writes HTML.
(function () {
  "use strict";
  var article = document.getElementById("article");
  var panel = document.getElementById("facts");
  if (!article || !panel) {
    return;
  }
  var marks = Array.prototype.slice.call(article.querySelectorAll("[data-facts]"));
  var live = document.getElementById("selection-status");

  function factsOf(element) {
    return (element.getAttribute("data-facts") || "").split(" ").filter(Boolean);
  }

  function clear(className) {
    Array.prototype.forEach.call(document.querySelectorAll("." + className), function (el) {
      el.classList.remove(className);
    });
  }

  function select(factId, scroll) {
    clear("selected");
    Array.prototype.forEach.call(panel.querySelectorAll("button[aria-pressed='true']"), function (b) {
      b.setAttribute("aria-pressed", "false");
    });
    var hits = marks.filter(function (m) {
      return factsOf(m).indexOf(factId) >= 0;
    });
    hits.forEach(function (m) {
      m.classList.add("selected");
    });
    var item = document.getElementById("fact-" + factId);
    if (item) {
      item.classList.add("selected");
      var button = item.querySelector("button.pick");
      if (button) {
        button.setAttribute("aria-pressed", "true");
      }
    }
    if (live) {
      live.textContent = hits.length
        ? hits.length + (hits.length === 1 ? " passage" : " passages") + " marked in the article"
        : "this fact has no words in the article";
    }
    if (hits.length && scroll) {
      hits[0].scrollIntoView({ block: "center" });
    }
  }

  panel.addEventListener("click", function (event) {
    var button = event.target.closest("button.pick");
    if (button) {
      select(button.getAttribute("data-fact"), true);
    }
  });

  function hover(event, on) {
    var mark = event.target.closest("[data-facts]");
    if (!mark) {
      return;
    }
    clear("hovered");
    if (!on) {
      return;
    }
    var labels = [];
    factsOf(mark).forEach(function (id) {
      var item = document.getElementById("fact-" + id);
      if (item) {
        item.classList.add("hovered");
        var kind = item.querySelector(".kind");
        var button = item.querySelector("button.pick");
        var rules = item.querySelector(".rules");
        var label = (kind ? kind.textContent + ": " : "") + (button ? button.textContent : id);
        if (rules) {
          label += "\n  rules: " + rules.getAttribute("data-rules").split(" ").join(", ");
        }
        labels.push(label);
      }
    });
    if (!mark.title) {
      mark.title = labels.join("\n"); // the tooltip: this passage's facts, as the panel names them
    }
  }

  article.addEventListener("mouseover", function (event) {
    hover(event, true);
  });
  article.addEventListener("mouseout", function (event) {
    hover(event, false);
  });
  article.addEventListener("click", function (event) {
    var mark = event.target.closest("[data-facts]");
    if (mark) {
      var first = factsOf(mark)[0];
      select(first, false);
      var item = document.getElementById("fact-" + first);
      if (item) {
        item.scrollIntoView({ block: "nearest" });
      }
    }
  });
})();
