/// The region picker's script (`/static/region-picker-N.js`): the form works without it; with it a
/// list's choice opens the next level at once, from `GET /api/v1/region-choices?parent=CODE` (the
/// session's own scope), instead of a round trip of the form; Enter in its search box asks the
/// picker's own button (elsewhere in the form Enter submits the form, see `RegionPicker`). No inline script, no outside address.
enum RegionPickerScript {
    static let source = #"""
    (function () {
      "use strict";
      if (window.shegongRegionPicker) { return; }
      window.shegongRegionPicker = true;
      function levels(box) { return Array.prototype.slice.call(box.querySelectorAll(".levels select")); }
      function attach(box) {
        var name = box.getAttribute("data-picker");
        var holder = box.querySelector(".levels");
        // Enter in the picker's search box searches (its own button), not the form's submit.
        var search = box.querySelector("input[type=search]"), go = box.querySelector("button[name='" + name + "_go']");
        if (search && go) {
          search.addEventListener("keydown", function (event) {
            if (event.key === "Enter") { event.preventDefault(); go.click(); }
          });
        }
        holder.addEventListener("change", function (event) {
          var select = event.target;
          if (!select || select.tagName !== "SELECT") { return; }
          var all = levels(box), index = all.indexOf(select);
          var anyLabel = box.getAttribute("data-any") || "";
          all.slice(index + 1).forEach(function (later) { later.parentNode.removeChild(later); });
          var chosen = box.querySelector(".chosen");
          if (chosen) { chosen.parentNode.removeChild(chosen); }
          if (!select.value) { return; }
          var request = new XMLHttpRequest();
          request.open("GET", "/api/v1/region-choices?parent=" + encodeURIComponent(select.value));
          request.setRequestHeader("Accept", "application/json");
          request.onload = function () {
            if (request.status !== 200) { return; }
            var children = JSON.parse(request.responseText);
            if (!children.length || levels(box).indexOf(select) !== levels(box).length - 1) { return; }
            var next = document.createElement("select"), position = index + 2;
            next.name = name + "_" + position;
            next.id = "f-" + name + "-" + position;
            next.setAttribute("data-level", String(position));
            next.setAttribute("aria-label", select.getAttribute("aria-label") || "");
            var blank = document.createElement("option");
            blank.value = ""; blank.text = anyLabel;
            next.appendChild(blank);
            children.forEach(function (child) {
              var option = document.createElement("option");
              option.value = child.code; option.text = child.name;
              next.appendChild(option);
            });
            holder.appendChild(next);
          };
          request.send();
        });
      }
      function start() { Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), attach); }
      if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
    })();
    """#
}
