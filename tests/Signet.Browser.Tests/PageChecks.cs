using Microsoft.Playwright;

namespace Signet.Browser.Tests;

/// <summary>What every console page must hold at every width: nothing scrolls sideways, nothing is cut off, and the
/// structure a screen reader relies on is there.</summary>
internal static class PageChecks
{
    public static async Task AssertFitsAndAccessibleAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{what} scrolls sideways by {overflow} px: " + string.Join(", ", await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('main *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
              .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' "' + e.textContent.trim().slice(0, 40) + '"')
            """)));
        Assert.Empty(await TablesWiderThanTheirBoxAsync(page));
        Assert.Empty(await AccessibilityProblemsAsync(page));
    }

    /// <summary>Tables that must be read without scrolling (the computers list, the audit log) and are wider than their box.</summary>
    public static Task<string[]> TablesWiderThanTheirBoxAsync(IPage page) => page.EvaluateAsync<string[]>(
        """
        () => [...document.querySelectorAll('table.fleet, table.audit')]
          .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)
          .map(t => t.id + ' is ' + (t.scrollWidth - t.parentElement.clientWidth) + ' px wider than its box')
        """);

    /// <summary>The structural checks a screen reader user relies on: every control has a bound label, one h1, no skipped
    /// heading level, and the header/nav/main landmarks.</summary>
    public static Task<string[]> AccessibilityProblemsAsync(IPage page) => page.EvaluateAsync<string[]>(
        """
        () => {
          const problems = [];
          for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button')) {
            if (el.tagName !== 'BUTTON' && (!el.labels || el.labels.length === 0)) problems.push('no label: ' + (el.id || el.name));
            if (el.tagName === 'BUTTON' && !(el.textContent.trim() || el.getAttribute('aria-label'))) problems.push('nameless button');
          }
          if (document.querySelectorAll('h1').length !== 1) problems.push('h1 count: ' + document.querySelectorAll('h1').length);
          let last = 0;
          for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
            const level = Number(h.tagName[1]);
            if (level > last + 1) problems.push('heading skips to ' + h.tagName + ': ' + h.textContent.trim());
            last = level;
          }
          for (const landmark of ['header', 'main']) if (!document.querySelector(landmark)) problems.push('no ' + landmark);
          return problems;
        }
        """);

    /// <summary>Places where the fingerprint in <paramref name="selector"/> breaks onto a new line inside a hex pair.</summary>
    public static Task<string[]> FingerprintBreaksInsidePairsAsync(IPage page, string selector) => page.EvaluateAsync<string[]>(
        """
        selector => {
          const breaks = [];
          for (const span of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
            let previous = null;
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              for (let i = 0; i < node.length; i++) {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const top = range.getBoundingClientRect().top;
                const ch = node.data[i];
                if (previous && Math.abs(top - previous.top) > 2 && previous.ch !== ':') breaks.push(previous.ch + '|' + ch);
                previous = { top, ch };
              }
            }
          }
          return breaks;
        }
        """, selector);
}
