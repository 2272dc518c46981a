/*
 * /network: fetch the live part of the page (/network/live, HTML made and
 * escaped by the server) every two seconds and put it in place, so that
 * the queue's picture and the peers' counters stay current.  The button
 * pauses and resumes; nothing is fetched while the page is hidden.
 */
(function () {
	"use strict";

	var live = document.getElementById("network-live");
	var button = document.getElementById("refresh-toggle");
	var state = document.getElementById("refresh-state");
	var period = 2000;
	var paused = false;
	var timer = null;

	if (live === null || button === null || !window.fetch)
		return;

	function schedule() {
		if (timer !== null)
			clearTimeout(timer);
		timer = paused ? null : setTimeout(refresh, period);
	}

	function refresh() {
		timer = null;
		if (document.hidden) {
			schedule();
			return;
		}
		fetch(live.getAttribute("data-src"), {
			cache: "no-store",
			credentials: "same-origin"
		}).then(function (answer) {
			return answer.text();
		}).then(function (html) {
			if (!paused)
				live.innerHTML = html;
		}).catch(function () {
			/* The next round tries again. */
		}).then(schedule);
	}

	button.addEventListener("click", function () {
		paused = !paused;
		button.textContent = button.getAttribute(paused ?
		    "data-resume" : "data-pause");
		button.setAttribute("aria-pressed", paused ? "true" : "false");
		state.textContent = button.getAttribute(paused ?
		    "data-paused" : "data-running");
		schedule();
	});
	button.setAttribute("aria-pressed", "false");
	schedule();
}());
