// Autocomplete for the search box: fills its <datalist> with page titles from the search_suggest endpoint.
(function () {
    "use strict";
    var input = document.querySelector("input[data-suggest-url]");
    if (!input || !window.fetch) { return; }
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
            var prefix = input.value.trim();
            if (prefix.length < 2 || prefix === last) { return; }
            last = prefix;
            fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(prefix), { headers: { Accept: "application/json" } })
                .then(function (response) { return response.ok ? response.json() : { results: [] }; })
                .then(function (data) {
                    list.replaceChildren.apply(list, data.results.map(function (result) {
                        var option = document.createElement("option");
                        option.value = result.title;
                        option.label = result.type;
                        return option;
                    }));
                })
                .catch(function () { /* suggestions are a convenience; the form still works */ });
        }, 200);
    });
})();
