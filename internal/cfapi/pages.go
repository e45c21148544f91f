package cfapi

import (
	"encoding/json"

	"github.com/cloudflare/cloudflare-go/v7/packages/pagination"
)

// listAll walks a paginated listing (of zones: records have their own, see
// listRecordPages) page by page. The library's auto-pager
// always asks for one page past the last (it stops only at an empty page) and
// drops the caller's context on later pages; this stops at result_info's
// total_pages and keeps the context, so a listing costs exactly its pages.
func listAll[T any](fetch func(page int) (*pagination.V4PagePaginationArray[T], error), each func(T) error) error {
	for page := 1; ; page++ {
		res, err := fetch(page)
		if err != nil {
			return wrapError(err)
		}
		for _, item := range res.Result {
			if err := each(item); err != nil {
				return err
			}
		}
		if len(res.Result) == 0 || page >= totalPages(res.JSON.RawJSON(), len(res.Result), int(res.ResultInfo.PerPage)) {
			return nil
		}
	}
}

// totalPages reads result_info.total_pages; without it, a short page is the last.
func totalPages(raw string, count, perPage int) int {
	var env struct {
		ResultInfo struct {
			TotalPages *int `json:"total_pages"`
		} `json:"result_info"`
	}
	if json.Unmarshal([]byte(raw), &env) == nil && env.ResultInfo.TotalPages != nil {
		return *env.ResultInfo.TotalPages
	}
	if perPage > 0 && count < perPage {
		return 0
	}
	return int(^uint(0) >> 1)
}
